package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import io.mlcycle.monitoring.ReferenceBins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    predictionRow(data, drift).ifPresent(blocks::add);
    blocks.add(drifted.isEmpty() ? new ReportBlock.Text("No feature drifted in any batch.")
        : new ReportBlock.Table("Drifted features", SOURCE, drifted));
    return new ReportSection(Chapter.MONITORING, "drift", "Drift per feature and batch", blocks);
  }

  /** What the row of the model's own output (kind prediction) measures for the model's task. */
  private static Optional<ReportBlock> predictionRow(ReportData data, Frame drift) {
    List<String> rows = drift.where("kind", ReferenceBins.Kind.PREDICTION.label()).distinct("feature");
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    String what = switch (data.task()) {
      case BINARY -> "the positive class's probability";
      case MULTICLASS -> "the predicted class's probability (the model's confidence), not which class it predicted";
      case REGRESSION -> "nothing for a regression model, which predicts no probability: its residual drift is "
          + "the realised " + Metric.RESIDUAL_PSI.id() + " (and its bias " + Metric.MEAN_RESIDUAL.id()
          + ") per batch under Realised performance";
    };
    return Optional.of(new ReportBlock.Text("The row " + String.join(", ", rows) + " is the model's output, not a "
        + "feature: its drift measures " + what + "."));
  }
}
