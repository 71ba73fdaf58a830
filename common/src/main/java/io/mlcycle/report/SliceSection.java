package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidate's metrics per slice of the evaluation rows (scope {@code slice:<column>=<value>}): the task's
 * metrics, and a chart of the model's selection metric (else the first of the task's metrics measured).
 */
final class SliceSection {
  private static final String PREFIX = "slice:";

  private SliceSection() {}

  static ReportSection build(ReportData data) {
    Frame metrics = data.evaluationMetrics().orElse(null);
    List<String> slices = metrics == null ? List.of() : EvaluationMetricsView.scopes(metrics, PREFIX);
    if (slices.isEmpty()) {
      return new ReportSection(Chapter.EVALUATION, "slices", "Slice metrics",
          List.of(EvaluationMetricsView.missing(data, "the metrics per slice")));
    }
    List<Metric> shown = new ArrayList<>(List.of(Metric.ROWS));
    shown.addAll(EvaluationMetricsView.headlineFirst(data));
    List<String> present = shown.stream().map(Metric::id).filter(m -> slices.stream()
        .anyMatch(s -> EvaluationMetricsView.values(metrics, s).containsKey(m))).toList();
    List<String> columns = new ArrayList<>(List.of("slice"));
    columns.addAll(present);
    List<List<Object>> rows = new ArrayList<>();
    for (String slice : slices) {
      Map<String, Double> values = EvaluationMetricsView.values(metrics, slice);
      List<Object> row = new ArrayList<>(List.of(slice.substring(PREFIX.length())));
      present.forEach(m -> row.add(values.get(m)));
      rows.add(row);
    }
    List<ReportBlock> blocks = new ArrayList<>(List.of(
        new ReportBlock.Text("The candidate's metrics on each slice of the evaluation rows; a slice gate fails the "
            + "candidate when one of them falls below its threshold."),
        new ReportBlock.Table("Metrics per slice", EvaluationMetricsView.SOURCE, Frame.of(columns, rows))));
    present.stream().filter(m -> !m.equals(Metric.ROWS.id())).findFirst().ifPresent(charted -> {
      Map<String, List<Double>> series = new LinkedHashMap<>();
      series.put(charted, slices.stream().map(s -> EvaluationMetricsView.values(metrics, s)
          .getOrDefault(charted, Double.NaN)).toList());
      blocks.add(ChartRenderer.bars(charted + " per slice", EvaluationMetricsView.SOURCE, "slice", charted,
          slices.stream().map(s -> s.substring(PREFIX.length())).toList(), series, false));
    });
    return new ReportSection(Chapter.EVALUATION, "slices", "Slice metrics", blocks);
  }
}
