package io.mlcycle.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Realised performance once labels arrived: each metric per batch, one line per role (champion, challenger). */
final class PerformanceSection {
  private static final String SOURCE = "_mlcycle/performance";

  private PerformanceSection() {}

  static ReportSection build(ReportData data) {
    Frame performance = data.performance().orElse(null);
    if (performance == null || performance.isEmpty()) {
      return new ReportSection(Chapter.MONITORING, "performance", "Realised performance by role",
          List.of(new ReportBlock.Missing("realised performance on labelled batches (_mlcycle/performance)",
              "mlcycle monitor")));
    }
    List<ReportBlock> blocks = new ArrayList<>(List.of(new ReportBlock.Text(
        "Metrics of the scored predictions once their labels were known, per batch and role.")));
    List<String> batches = performance.distinct("batch_id");
    for (String metric : performance.distinct("metric")) {
      Map<String, List<Double>> byRole = new LinkedHashMap<>();
      for (Map<String, Object> row : performance.where("metric", metric).rows()) {
        List<Double> values = byRole.computeIfAbsent(Frame.text(row, "role"), r -> new ArrayList<>(
            Collections.nCopies(batches.size(), (Double) null)));
        values.set(batches.indexOf(Frame.text(row, "batch_id")), Frame.number(row, "value"));
      }
      blocks.add(ChartRenderer.categoryLines(metric + " per batch by role", SOURCE, "batch", metric, batches, byRole));
    }
    blocks.add(new ReportBlock.Table("Realised performance", SOURCE, performance));
    return new ReportSection(Chapter.MONITORING, "performance", "Realised performance by role", blocks);
  }
}
