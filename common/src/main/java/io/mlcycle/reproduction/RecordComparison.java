package io.mlcycle.reproduction;

import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.TrainingRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Compares a rebuilt training record and model with the recorded ones, item by item. Text values (hashes,
 * fingerprints, chosen parameters) must be equal; numbers are identical when their bits are equal and
 * within tolerance when {@code |a − b| ≤ } {@value #TOLERANCE} {@code · max(1, |a|, |b|)}. The one-pass
 * logistic regression sums in a fixed order and is bit-identical on the same Spark version; MLlib's other
 * estimators merge partial sums in the order tasks finish, so their last bits may move, within tolerance.
 */
final class RecordComparison {
  static final double TOLERANCE = 1e-6;

  private final List<Reproduction.Item> items = new ArrayList<>();

  List<Reproduction.Item> items() {
    return List.copyOf(items);
  }

  /** Every item of the two records, and the model parameters. */
  static List<Reproduction.Item> of(TrainingRecord recorded, TrainingRecord rebuilt, double[] recordedWeights,
                                    double[] rebuiltWeights, String recordedStructure, String rebuiltStructure) {
    RecordComparison comparison = new RecordComparison();
    comparison.text("feature_hash", lineage(recorded, "feature_definitions", "hash"),
        lineage(rebuilt, "feature_definitions", "hash"));
    comparison.text("training_rows", lineage(recorded, "hash", "training_rows"), lineage(rebuilt, "hash", "training_rows"));
    comparison.text("fold_fingerprint", lineage(recorded, "hash", "fold_assignment"),
        lineage(rebuilt, "hash", "fold_assignment"));
    comparison.text("grid_point", chosen(recorded), chosen(rebuilt));
    comparison.numbers("cv_metrics", metrics(recorded, m -> m.scope().startsWith("fold") || m.scope().startsWith("cv_")),
        metrics(rebuilt, m -> m.scope().startsWith("fold") || m.scope().startsWith("cv_")));
    comparison.numbers("holdout_metrics", metrics(recorded, m -> m.scope().equals("holdout")),
        metrics(rebuilt, m -> m.scope().equals("holdout")));
    Map<String, Double> quantiles = metrics(recorded, m -> m.scope().equals(TrackingTables.RESIDUAL_QUANTILE));
    Map<String, Double> rebuiltQuantiles = metrics(rebuilt, m -> m.scope().equals(TrackingTables.RESIDUAL_QUANTILE));
    if (!quantiles.isEmpty() || !rebuiltQuantiles.isEmpty()) {
      comparison.numbers("residual_quantiles", quantiles, rebuiltQuantiles);
    }
    comparison.numbers("threshold", metrics(recorded, m -> m.scope().equals("validation")),
        metrics(rebuilt, m -> m.scope().equals("validation")));
    comparison.numbers("leak_check", metrics(recorded, m -> m.scope().equals("univariate_auc")),
        metrics(rebuilt, m -> m.scope().equals("univariate_auc")));
    comparison.numbers("model_parameters", indexed(recordedWeights), indexed(rebuiltWeights));
    if (!recordedStructure.isEmpty() || !rebuiltStructure.isEmpty()) {
      comparison.text("model_structure", recordedStructure, rebuiltStructure);
    }
    return comparison.items();
  }

  private void text(String name, String recorded, String rebuilt) {
    boolean same = Objects.equals(recorded, rebuilt);
    items.add(new Reproduction.Item(name, same ? Reproduction.Verdict.IDENTICAL : Reproduction.Verdict.DIFFERENT, 1,
        same ? 0 : Double.NaN, same ? "" : "recorded " + shortened(recorded) + ", rebuilt " + shortened(rebuilt)));
  }

  private void numbers(String name, Map<String, Double> recorded, Map<String, Double> rebuilt) {
    if (!recorded.keySet().equals(rebuilt.keySet())) {
      List<String> missing = new ArrayList<>(recorded.keySet());
      missing.removeAll(rebuilt.keySet());
      List<String> extra = new ArrayList<>(rebuilt.keySet());
      extra.removeAll(recorded.keySet());
      items.add(new Reproduction.Item(name, Reproduction.Verdict.DIFFERENT, recorded.size(), Double.NaN,
          "recorded but not rebuilt " + missing + ", rebuilt but not recorded " + extra));
      return;
    }
    Reproduction.Verdict verdict = Reproduction.Verdict.IDENTICAL;
    double largest = 0;
    String worst = "";
    for (Map.Entry<String, Double> entry : recorded.entrySet()) {
      double a = entry.getValue();
      double b = rebuilt.get(entry.getKey());
      if (Double.doubleToLongBits(a) == Double.doubleToLongBits(b)) {
        continue;
      }
      double difference = Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
      boolean within = difference <= TOLERANCE;
      if (Double.isNaN(difference) || difference > largest) {
        largest = Double.isNaN(difference) ? Double.POSITIVE_INFINITY : difference;
        worst = entry.getKey() + ": recorded " + a + ", rebuilt " + b;
      }
      if (!within) {
        verdict = Reproduction.Verdict.DIFFERENT;
      } else if (verdict == Reproduction.Verdict.IDENTICAL) {
        verdict = Reproduction.Verdict.WITHIN_TOLERANCE;
      }
    }
    items.add(new Reproduction.Item(name, verdict, recorded.size(), largest, worst));
  }

  private static String lineage(TrainingRecord record, String kind, String name) {
    return record.lineage().getOrDefault(kind, Map.of()).getOrDefault(name, "");
  }

  private static String chosen(TrainingRecord record) {
    return new TreeMap<>(record.params()).entrySet().stream().filter(e -> e.getKey().startsWith("chosen."))
        .map(e -> e.getKey().substring("chosen.".length()) + "=" + e.getValue()).toList().toString();
  }

  private static Map<String, Double> metrics(TrainingRecord record, Predicate<TrackingTables.Metric> which) {
    Map<String, Double> values = new LinkedHashMap<>();
    record.metrics().stream().filter(which).forEach(m -> values.put(
        m.scope() + "[" + m.gridPoint() + "," + m.fold() + "]." + m.name(), m.value()));
    return values;
  }

  private static Map<String, Double> indexed(double[] values) {
    Map<String, Double> indexed = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      indexed.put("w" + i, values[i]);
    }
    return indexed;
  }

  private static String shortened(String value) {
    return value == null || value.isEmpty() ? "(none)" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
