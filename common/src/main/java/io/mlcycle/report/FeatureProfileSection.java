package io.mlcycle.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The feature versions and the reference histograms frozen for the run's feature version. */
final class FeatureProfileSection {
  private static final String SOURCE = "_mlcycle/feature_reference";

  private FeatureProfileSection() {}

  static ReportSection build(ReportData data) {
    List<ReportBlock> blocks = new ArrayList<>();
    if (data.featureVersions().isEmpty() || data.reference().isEmpty() || data.reference().get().isEmpty()) {
      blocks.add(new ReportBlock.Missing("the feature versions and reference profile (_mlcycle/feature_reference)",
          "mlcycle features"));
      return new ReportSection(Chapter.FEATURES, "features", "Feature profile", blocks);
    }
    Frame reference = data.reference().get();
    blocks.add(new ReportBlock.Table("Feature versions", "_mlcycle/feature_versions", data.featureVersions().get()));
    blocks.add(new ReportBlock.Text("Reference histograms of feature version "
        + Frame.text(reference.rows().get(0), "feature_version") + ", frozen from its training window: numeric "
        + "features over quantile bins (labelled by their upper edge), categorical features over their top "
        + "categories and 'other'. Drift monitoring bins new batches with the same edges."));
    Map<String, Map<String, Double>> histograms = new LinkedHashMap<>();
    for (Map<String, Object> row : reference.rows()) {
      histograms.computeIfAbsent(Frame.text(row, "feature"), f -> new LinkedHashMap<>())
          .put(label(row), Frame.number(row, "share"));
    }
    blocks.add(ChartRenderer.smallBars("Reference histograms (share of rows per bin)", SOURCE, histograms, 3));
    return new ReportSection(Chapter.FEATURES, "features", "Feature profile", blocks);
  }

  private static String label(Map<String, Object> bin) {
    if ((int) bin.get("bin") < 0) {
      return "null";
    }
    if ("categorical".equals(bin.get("kind"))) {
      return Frame.text(bin, "category");
    }
    return bin.get("upper") == null ? "> " + Cells.format(bin.get("lower")) : "<= " + Cells.format(bin.get("upper"));
  }
}
