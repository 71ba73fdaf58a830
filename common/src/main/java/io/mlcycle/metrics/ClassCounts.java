package io.mlcycle.metrics;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * The one kernel of the multiclass metrics: rows (or weights) counted per (label's class, predicted class),
 * and the sum of each labelled row's log loss, give {@link Metric#ACCURACY}, {@link Metric#MACRO_F1},
 * {@link Metric#WEIGHTED_F1} and {@link Metric#LOG_LOSS}. Training (held-out folds, holdout), evaluation
 * (holdout, slices, bootstrap replicates) and realised performance all count into one of these, so the same
 * predictions give the same metrics everywhere. Classes are any keys (indices, or class names).
 *
 * <p>Per-class F1 is taken over the classes among the labels: a class only ever predicted lowers the
 * precision of none and adds no term to the means.
 */
public final class ClassCounts {
  private static final double EPSILON = 1e-15;

  private final Map<Object, Double> actual = new LinkedHashMap<>();
  private final Map<Object, Double> predicted = new HashMap<>();
  private final Map<Object, Double> hits = new HashMap<>();
  private double rows;
  private double correct;
  private double logLoss;
  private double logLossRows;

  /** Counts {@code weight} rows whose label's class is {@code label} and whose prediction is {@code prediction}. */
  public ClassCounts add(Object label, Object prediction, double weight) {
    rows += weight;
    actual.merge(label, weight, Double::sum);
    predicted.merge(prediction, weight, Double::sum);
    if (label.equals(prediction)) {
      correct += weight;
      hits.merge(label, weight, Double::sum);
    }
    return this;
  }

  /** Adds the log loss of {@code rows} rows: their summed {@link #logLossTerm} values. */
  public ClassCounts addLogLoss(double sum, double rowsWithLoss) {
    logLoss += sum;
    logLossRows += rowsWithLoss;
    return this;
  }

  /** One row's log loss from the probability the model gave its label's class, clamped to [1e-15, 1]. */
  public static double logLossTerm(double probability) {
    return -Math.log(Math.max(EPSILON, Math.min(1, probability)));
  }

  /** {@link #logLossTerm(double)} in Spark, the same arithmetic. */
  public static Column logLossTerm(Column probability) {
    return log(least(greatest(probability, lit(EPSILON)), lit(1.0))).multiply(-1);
  }

  /** Accuracy, macro and weighted F1, log loss when any was added, and the rows. NaN without rows. */
  public Map<String, Double> metrics() {
    double macro = 0;
    double weighted = 0;
    for (Map.Entry<Object, Double> label : actual.entrySet()) {
      double tp = hits.getOrDefault(label.getKey(), 0.0);
      double predictedRows = predicted.getOrDefault(label.getKey(), 0.0);
      double precision = predictedRows == 0 ? 0 : tp / predictedRows;
      double recall = label.getValue() == 0 ? 0 : tp / label.getValue();
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      macro += f1 / actual.size();
      weighted += f1 * label.getValue() / rows;
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(Metric.ACCURACY.id(), rows == 0 ? Double.NaN : correct / rows);
    metrics.put(Metric.MACRO_F1.id(), rows == 0 ? Double.NaN : macro);
    metrics.put(Metric.WEIGHTED_F1.id(), rows == 0 ? Double.NaN : weighted);
    if (logLossRows > 0) {
      metrics.put(Metric.LOG_LOSS.id(), logLoss / logLossRows);
    }
    metrics.put(Metric.ROWS.id(), rows);
    return metrics;
  }
}
