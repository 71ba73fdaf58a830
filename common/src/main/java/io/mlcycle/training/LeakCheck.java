package io.mlcycle.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import io.mlcycle.base.Errors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Refuses a binary training set in which one input alone ranks the label almost perfectly: the usual sign
 * that the label leaked into a feature. Each input is reduced to at most 100 values (its own values when
 * categorical, percentile bins when numeric), and the ROC AUC of the best ordering of those values is
 * taken. Two Spark jobs for all inputs together: the bin edges, and one grouped count.
 */
public final class LeakCheck {
  private static final int BINS = 100;

  private LeakCheck() {}

  /** The univariate AUC of every input (at least 0.5: the better direction). */
  public static Map<String, Double> univariateAuc(Dataset<Row> training, TrainingSpec spec) {
    List<String> values = new ArrayList<>();
    if (!spec.numeric().isEmpty()) {
      double[] probabilities = new double[BINS - 1];
      for (int i = 1; i < BINS; i++) {
        probabilities[i - 1] = i / (double) BINS;
      }
      double[][] edges = training.stat().approxQuantile(spec.numeric().toArray(String[]::new), probabilities, 1e-3);
      for (int i = 0; i < spec.numeric().size(); i++) {
        values.add("'" + spec.numeric().get(i) + "', cast(" + binExpression(spec.numeric().get(i), edges[i]) + " as string)");
      }
    }
    for (String categorical : spec.categorical()) {
      values.add("'" + categorical + "', cast(" + categorical + " as string)");
    }
    List<Row> counts = training
        .selectExpr("stack(" + values.size() + ", " + String.join(", ", values) + ") as (input, value)",
            "cast(" + spec.label() + " as double) as label")
        .groupBy("input", "value")
        .agg(sum(col("label")).as("positives"), count(expr("1")).as("rows"))
        .collectAsList();
    // The groups in a fixed order (a shuffle returns them in any), so the AUC is the same to the last bit.
    List<Row> sorted = new ArrayList<>(counts);
    sorted.sort(Comparator.comparing((Row r) -> r.getString(0)).thenComparing(r -> String.valueOf(r.get(1))));
    Map<String, List<double[]>> byInput = new LinkedHashMap<>();
    for (Row row : sorted) {
      double positives = row.getDouble(2);
      byInput.computeIfAbsent(row.getString(0), k -> new ArrayList<>())
          .add(new double[] {positives, row.getLong(3) - positives});
    }
    Map<String, Double> auc = new LinkedHashMap<>();
    for (String input : spec.inputs()) {
      if (byInput.containsKey(input)) {
        auc.put(input, bestOrderingAuc(byInput.get(input)));
      }
    }
    return auc;
  }

  /** Fails with exit 3 naming the input when one reaches {@code pipeline.model.leak-auc}. */
  public static Map<String, Double> check(Dataset<Row> training, TrainingSpec spec) {
    Map<String, Double> auc = univariateAuc(training, spec);
    List<String> leaks = auc.entrySet().stream().filter(e -> e.getValue() >= spec.leakAuc())
        .map(e -> String.format("'%s' (ROC AUC %.4f)", e.getKey(), e.getValue())).toList();
    if (!leaks.isEmpty()) {
      throw Errors.dataQuality(String.format("Cannot train %s: %s %s alone %s the label '%s' (pipeline.model.leak-auc"
          + " = %s): a likely label leak. Make sure the feature is known before the outcome, or remove it from"
          + " pipeline.model.", spec.name(), leaks.size() == 1 ? "input" : "inputs", String.join(", ", leaks),
          leaks.size() == 1 ? "predicts" : "each predict", spec.label(), spec.leakAuc()));
    }
    return auc;
  }

  private static String binExpression(String column, double[] edges) {
    StringBuilder bin = new StringBuilder("case when " + column + " is null then -1");
    for (int i = 0; i < edges.length; i++) {
      bin.append(" when ").append(column).append(" <= ").append(edges[i]).append(" then ").append(i);
    }
    return bin.append(" else ").append(edges.length).append(" end").toString();
  }

  /** AUC of ranking the groups by their positive share: groups are [positives, negatives]. */
  static double bestOrderingAuc(List<double[]> groups) {
    groups.sort(Comparator.comparingDouble(g -> -(g[0] / Math.max(1, g[0] + g[1]))));
    double positives = groups.stream().mapToDouble(g -> g[0]).sum();
    double negatives = groups.stream().mapToDouble(g -> g[1]).sum();
    if (positives == 0 || negatives == 0) {
      return 0.5;
    }
    double area = 0;
    double truePositives = 0;
    for (double[] group : groups) {
      area += group[1] * (truePositives + group[0] / 2);
      truePositives += group[0];
    }
    return Math.max(0.5, area / (positives * negatives));
  }
}
