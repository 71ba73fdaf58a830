package io.mlcycle.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the model leans on: its largest coefficients or importances, and each input's univariate AUC. */
final class WeightsSection {
  private static final int TOP = 20;

  private WeightsSection() {}

  static ReportSection build(ReportData data) {
    List<ReportBlock> blocks = new ArrayList<>();
    String source = "models/" + data.subject().model() + "/" + data.subject().runId();
    Frame weights = data.weights().orElse(null);
    if (weights == null) {
      blocks.add(new ReportBlock.Missing("the model artifact of run " + data.subject().runId() + " (" + source + ")",
          "mlcycle train"));
    } else if (weights.isEmpty()) {
      blocks.add(new ReportBlock.Text("This kind of model exposes neither coefficients nor feature importances."));
    } else {
      String kind = Frame.text(weights.rows().get(0), "kind");
      List<Map<String, Object>> top = weights.rows().stream()
          .sorted(Comparator.comparingDouble((Map<String, Object> r) -> -Math.abs(Frame.number(r, "weight"))))
          .limit(TOP).toList();
      Frame largest = new Frame(weights.columns(), top);
      blocks.add(new ReportBlock.Text("The " + top.size() + " largest " + kind + "s by magnitude, of "
          + weights.rows().size() + " slots of the assembled feature vector (_num_ = a numeric input, _vec_ = one "
          + "category of a one-hot encoded input)."));
      blocks.add(ChartRenderer.bars("Largest " + kind + "s", source, "", kind, largest.distinct("feature"),
          Map.of(kind, top.stream().map(r -> Frame.number(r, "weight")).toList()), false));
      blocks.add(new ReportBlock.Table("Largest " + kind + "s", source, largest));
    }
    Frame univariate = data.trainingMetrics().map(m -> m.where("scope", "univariate_auc")).orElse(null);
    if (univariate != null && !univariate.isEmpty()) {
      Map<String, List<Double>> auc = new LinkedHashMap<>();
      auc.put("ROC AUC", univariate.rows().stream().map(r -> Frame.number(r, "value")).toList());
      blocks.add(new ReportBlock.Text("Each input alone against the label (ROC AUC; 0.5 is no signal). Training "
          + "refuses an input whose AUC reaches the leak threshold."));
      blocks.add(ChartRenderer.bars("Univariate ROC AUC per input", "_mlcycle/metrics", "input", "ROC AUC",
          univariate.distinct("name"), auc, false));
    }
    return new ReportSection(Chapter.TRAINING, "weights", "Feature importances and coefficients", blocks);
  }
}
