package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import io.mlcycle.monitoring.PerformanceTable;
import io.mlcycle.monitoring.RealisedPerformance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Realised performance once labels arrived: the task's realised metrics (monitor's
 * {@link RealisedPerformance#measured}) per batch, one line per role (champion, challenger), a table of them
 * beside the label counts, and the worst slices monitor recorded.
 */
final class PerformanceSection {
  private static final String SOURCE = "_mlcycle/performance";
  private static final String TITLE = "Realised performance by role";

  private PerformanceSection() {}

  static ReportSection build(ReportData data) {
    Frame performance = data.performance().orElse(null);
    if (performance == null || performance.isEmpty()) {
      return new ReportSection(Chapter.MONITORING, "performance", TITLE,
          List.of(new ReportBlock.Missing("realised performance on labelled batches (_mlcycle/performance)",
              "mlcycle monitor")));
    }
    Frame overall = performance.where(r -> r.get("slice") == null
        && !PerformanceTable.ALL_ROLES.equals(Frame.text(r, "role")));
    List<String> metrics = RealisedPerformance.measured(data.task(), data.selectionMetric()).stream().map(Metric::id)
        .filter(m -> !overall.where("metric", m).isEmpty()).toList();
    List<ReportBlock> blocks = new ArrayList<>(List.of(new ReportBlock.Text("The " + data.task().id()
        + " model's realised metrics (" + String.join(", ", metrics) + ") once the labels of its scored "
        + "predictions were known, per batch and role.")));
    List<String> batches = overall.distinct("batch_id");
    for (String metric : metrics) {
      Map<String, List<Double>> byRole = new LinkedHashMap<>();
      for (Map<String, Object> row : overall.where("metric", metric).rows()) {
        List<Double> values = byRole.computeIfAbsent(Frame.text(row, "role"), r -> new ArrayList<>(
            Collections.nCopies(batches.size(), (Double) null)));
        values.set(batches.indexOf(Frame.text(row, "batch_id")), Frame.number(row, "value"));
      }
      blocks.add(ChartRenderer.categoryLines(metric + " per batch by role", SOURCE, "batch", metric, batches, byRole));
    }
    blocks.add(new ReportBlock.Table("Realised performance", SOURCE, byBatchAndRole(overall, metrics)));
    Frame slices = performance.where(r -> r.get("slice") != null);
    if (!slices.isEmpty()) {
      blocks.add(new ReportBlock.Table("Worst slices per batch", SOURCE,
          slices.select("batch_id", "role", "model_version", "slice", "metric", "value", "labelled_rows")));
    }
    double unmatched = performance.where(r -> Metric.UNMATCHED_LABELS.id().equals(r.get("metric"))).rows().stream()
        .mapToDouble(r -> Frame.number(r, "value")).sum();
    if (unmatched > 0) {
      blocks.add(new ReportBlock.Text(Cells.format(unmatched) + " labels matched no prediction (" + SOURCE + ", metric "
          + Metric.UNMATCHED_LABELS.id() + ")."));
    }
    return new ReportSection(Chapter.MONITORING, "performance", TITLE, blocks);
  }

  /** One row per batch, role and version: labelled rows, coverage and each of {@code metrics}. */
  private static Frame byBatchAndRole(Frame overall, List<String> metrics) {
    List<String> columns = new ArrayList<>(List.of("batch_id", "role", "model_version", Metric.LABELLED_ROWS.id(),
        Metric.COVERAGE.id()));
    columns.addAll(metrics);
    Map<List<Object>, Map<String, Object>> rows = new LinkedHashMap<>();
    for (Map<String, Object> row : overall.rows()) {
      List<Object> key = List.of(Frame.text(row, "batch_id"), Frame.text(row, "role"),
          Objects.requireNonNullElse(row.get("model_version"), ""));
      Map<String, Object> cells = rows.computeIfAbsent(key, k -> new LinkedHashMap<>());
      cells.put(Metric.LABELLED_ROWS.id(), row.get("labelled_rows"));
      cells.put(Frame.text(row, "metric"), row.get("value"));
    }
    List<List<Object>> table = new ArrayList<>();
    rows.forEach((key, cells) -> {
      List<Object> row = new ArrayList<>(key);
      columns.subList(3, columns.size()).forEach(c -> row.add(cells.get(c)));
      table.add(row);
    });
    return Frame.of(columns, table);
  }
}
