package io.mlcycle.training;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

import io.mlcycle.metrics.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The metrics of a model's scored rows in training, named by {@link Metric}: binary ones from
 * {@link HeldOutMetrics} (the areas of {@code RankingAreas}, as evaluation and monitoring compute them),
 * multiclass and regression ones from MLlib's evaluators, asked by MLlib's own name (its {@code "f1"} is
 * {@link Metric#WEIGHTED_F1}).
 */
final class TrainingMetrics {
  private static final List<Metric> MULTICLASS = List.of(Metric.WEIGHTED_F1, Metric.ACCURACY,
      Metric.WEIGHTED_PRECISION, Metric.WEIGHTED_RECALL);
  private static final List<Metric> REGRESSION = List.of(Metric.RMSE, Metric.MAE, Metric.R2);

  private TrainingMetrics() {}

  /** The binary metrics of rows scored by an MLlib classifier (its {@code probability} vector). */
  static HeldOutMetrics.Metrics binary(Dataset<Row> scored) {
    return HeldOutMetrics.ofScores(
        scored.withColumn("_p", vector_to_array(col("probability"), "float64").getItem(1)), "_p", ModelTrainer.LABEL);
  }

  /** One multiclass or regression metric of scored rows, by MLlib. */
  static double mllib(Dataset<Row> scored, TrainingSpec.Task task, Metric metric) {
    String name = metric.mllibName().orElseThrow(() -> new IllegalArgumentException(
        "Cannot compute " + metric + " with MLlib's evaluators: they do not have it"));
    Evaluator evaluator = task == TrainingSpec.Task.REGRESSION
        ? new RegressionEvaluator().setMetricName(name).setLabelCol(ModelTrainer.LABEL)
        : new MulticlassClassificationEvaluator().setMetricName(name).setLabelCol(ModelTrainer.LABEL);
    return evaluator.evaluate(scored);
  }

  /** The final model's metrics on the test split, with the rows they are computed on. */
  static Map<String, Double> holdout(Dataset<Row> scored, TrainingSpec.Task task) {
    if (task == TrainingSpec.Task.BINARY) {
      return binary(scored).byName();
    }
    Dataset<Row> cached = scored.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put(Metric.ROWS.id(), (double) cached.count());
      for (Metric metric : task == TrainingSpec.Task.REGRESSION ? REGRESSION : MULTICLASS) {
        metrics.put(metric.id(), mllib(cached, task, metric));
      }
      return metrics;
    } finally {
      cached.unpersist();
    }
  }
}
