package io.mlcycle.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drift of every feature in every scored batch against the reference: PSI as a heat map, and what drifted. */
final class DriftSection {
  private static final String SOURCE = "_mlcycle/drift";

  private DriftSection() {}

  static ReportSection build(ReportData data) {
    Frame drift = data.drift().orElse(null);
    if (drift == null || drift.isEmpty()) {
      return new ReportSection(Chapter.MONITORING, "drift", "Drift per feature and batch",
          List.of(new ReportBlock.Missing("drift per feature and batch (_mlcycle/drift)", "mlcycle monitor")));
    }
    List<String> batches = drift.distinct("batch_id");
    List<String> features = drift.distinct("feature").stream().sorted().toList();
    Double[][] psi = new Double[features.size()][batches.size()];
    for (Map<String, Object> row : drift.rows()) {
      Double value = row.get("psi") == null ? null : Frame.number(row, "psi");
      psi[features.indexOf(Frame.text(row, "feature"))][batches.indexOf(Frame.text(row, "batch_id"))] = value;
    }
    Frame drifted = drift.where(r -> Boolean.TRUE.equals(r.get("drifted")));
    List<ReportBlock> blocks = new ArrayList<>(List.of(
        new ReportBlock.Text("Population stability index of each feature per batch against the reference profile "
            + "(above 0.2 is usually read as drift); " + drifted.rows().size() + " feature-batch pairs were flagged."),
        ChartRenderer.heatMap("PSI per feature and batch", SOURCE, batches, features, psi)));
    blocks.add(drifted.isEmpty() ? new ReportBlock.Text("No feature drifted in any batch.")
        : new ReportBlock.Table("Drifted features", SOURCE, drifted));
    return new ReportSection(Chapter.MONITORING, "drift", "Drift per feature and batch", blocks);
  }
}
