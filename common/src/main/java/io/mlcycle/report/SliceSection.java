package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The candidate's metrics per slice of the evaluation rows (scope {@code slice:<column>=<value>}). */
final class SliceSection {
  private static final String PREFIX = "slice:";
  private static final List<String> SHOWN = List.of(Metric.ROWS, Metric.AREA_UNDER_ROC, Metric.AREA_UNDER_PR,
      Metric.ACCURACY, Metric.PRECISION, Metric.RECALL, Metric.F1, Metric.MACRO_F1, Metric.WEIGHTED_F1, Metric.LOG_LOSS,
      Metric.RMSE, Metric.MAE).stream().map(Metric::id).toList();

  private SliceSection() {}

  static ReportSection build(ReportData data) {
    Frame metrics = data.evaluationMetrics().orElse(null);
    List<String> slices = metrics == null ? List.of() : EvaluationMetricsView.scopes(metrics, PREFIX);
    if (slices.isEmpty()) {
      return new ReportSection(Chapter.EVALUATION, "slices", "Slice metrics",
          List.of(EvaluationMetricsView.missing(data, "the metrics per slice")));
    }
    List<String> present = SHOWN.stream().filter(m -> slices.stream()
        .anyMatch(s -> EvaluationMetricsView.values(metrics, s).containsKey(m))).toList();
    List<String> columns = new ArrayList<>(List.of("slice"));
    columns.addAll(present);
    List<List<Object>> rows = new ArrayList<>();
    List<Double> auc = new ArrayList<>();
    for (String slice : slices) {
      Map<String, Double> values = EvaluationMetricsView.values(metrics, slice);
      List<Object> row = new ArrayList<>(List.of(slice.substring(PREFIX.length())));
      present.forEach(m -> row.add(values.get(m)));
      rows.add(row);
      auc.add(values.getOrDefault(Metric.AREA_UNDER_ROC.id(), Double.NaN));
    }
    List<ReportBlock> blocks = new ArrayList<>(List.of(
        new ReportBlock.Text("The candidate's metrics on each slice of the evaluation rows; a slice gate fails the "
            + "candidate when one of them falls below its threshold."),
        new ReportBlock.Table("Metrics per slice", EvaluationMetricsView.SOURCE, Frame.of(columns, rows))));
    if (present.contains(Metric.AREA_UNDER_ROC.id())) {
      Map<String, List<Double>> series = new LinkedHashMap<>();
      series.put("ROC AUC", auc);
      blocks.add(ChartRenderer.bars("ROC AUC per slice", EvaluationMetricsView.SOURCE, "slice", "ROC AUC",
          slices.stream().map(s -> s.substring(PREFIX.length())).toList(), series, false));
    }
    return new ReportSection(Chapter.EVALUATION, "slices", "Slice metrics", blocks);
  }
}
