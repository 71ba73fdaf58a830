package io.mlcycle.report;

import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model leans on: its largest coefficients (per class for a multinomial model) or importances, and
 * for a binary model each input's univariate AUC.
 */
final class WeightsSection {
  private static final int TOP = 20;
  private static final String SLOTS = "_num_ = a numeric input, _vec_ = one category of a one-hot encoded input";

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
    } else if (weights.rows().stream().anyMatch(r -> r.get("class") != null)) {
      blocks.addAll(perClass(weights, source));
    } else {
      blocks.addAll(oneVector(weights, source));
    }
    Frame univariate = data.trainingMetrics().map(m -> m.where("scope", "univariate_auc")).orElse(null);
    if (univariate != null && !univariate.isEmpty()) {
      Map<String, List<Double>> auc = new LinkedHashMap<>();
      auc.put("ROC AUC", univariate.rows().stream().map(r -> Frame.number(r, "value")).toList());
      blocks.add(new ReportBlock.Text("Each input alone against the label (ROC AUC; 0.5 is no signal). Training "
          + "refuses an input whose AUC reaches the leak threshold."));
      blocks.add(ChartRenderer.bars("Univariate ROC AUC per input", "_mlcycle/metrics", "input", "ROC AUC",
          univariate.distinct("name"), auc, false));
    } else if (data.task() != Task.BINARY && data.params().isPresent()) {
      blocks.add(new ReportBlock.Text("The leak check (each input's univariate ROC AUC against the label) runs for "
          + "binary models only; this is a " + data.task().id() + " model."));
    }
    return new ReportSection(Chapter.TRAINING, "weights", "Feature importances and coefficients", blocks);
  }

  /** One coefficient or importance per slot: the largest by magnitude. */
  private static List<ReportBlock> oneVector(Frame weights, String source) {
    String kind = Frame.text(weights.rows().get(0), "kind");
    List<Map<String, Object>> top = weights.rows().stream()
        .sorted(Comparator.comparingDouble((Map<String, Object> r) -> -Math.abs(Frame.number(r, "weight"))))
        .limit(TOP).toList();
    Frame largest = new Frame(weights.columns(), top).select("feature", "weight", "kind");
    return List.of(
        new ReportBlock.Text("The " + top.size() + " largest " + kind + "s by magnitude, of " + weights.rows().size()
            + " slots of the assembled feature vector (" + SLOTS + ")."),
        ChartRenderer.bars("Largest " + kind + "s", source, "", kind, largest.distinct("feature"),
            Map.of(kind, top.stream().map(r -> Frame.number(r, "weight")).toList()), false),
        new ReportBlock.Table("Largest " + kind + "s", source, largest));
  }

  /** A multinomial model's coefficients: the slots whose largest coefficient over the classes is largest. */
  private static List<ReportBlock> perClass(Frame weights, String source) {
    List<String> classes = weights.distinct("class");
    Map<String, Map<String, Double>> byFeature = new LinkedHashMap<>();
    weights.rows().forEach(r -> byFeature.computeIfAbsent(Frame.text(r, "feature"), f -> new LinkedHashMap<>())
        .put(Frame.text(r, "class"), Frame.number(r, "weight")));
    List<String> top = byFeature.entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<String, Map<String, Double>> e) -> -e.getValue().values()
            .stream().mapToDouble(Math::abs).max().orElse(0)))
        .limit(TOP).map(Map.Entry::getKey).toList();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    classes.forEach(c -> series.put(c, top.stream().map(f -> byFeature.get(f).getOrDefault(c, Double.NaN)).toList()));
    List<String> columns = new ArrayList<>(List.of("feature"));
    columns.addAll(classes);
    List<List<Object>> rows = new ArrayList<>();
    for (String feature : top) {
      List<Object> row = new ArrayList<>(List.of(feature));
      classes.forEach(c -> row.add(byFeature.get(feature).get(c)));
      rows.add(row);
    }
    return List.of(
        new ReportBlock.Text("A coefficient per class and slot: the " + top.size() + " slots, of " + byFeature.size()
            + " in the assembled feature vector (" + SLOTS + "), whose largest coefficient over the "
            + classes.size() + " classes is largest in magnitude."),
        ChartRenderer.bars("Largest coefficients per class", source, "", "coefficient", top, series, false),
        new ReportBlock.Table("Largest coefficients per class", source, Frame.of(columns, rows)));
  }
}
