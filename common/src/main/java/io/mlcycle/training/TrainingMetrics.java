package io.mlcycle.training;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.mlcycle.metrics.ClassCounts;
import io.mlcycle.metrics.ErrorSums;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The metrics of a model's scored rows in training, named by {@link Metric}, each from its one kernel:
 * binary ones from {@link HeldOutMetrics} (the areas of {@code RankingAreas}), multiclass ones from
 * {@link ClassCounts}, regression ones from {@link ErrorSums} — the kernels evaluation and monitoring use.
 * One Spark job per call.
 */
final class TrainingMetrics {
  private TrainingMetrics() {}

  /** The metrics a grid point can be chosen by, per task ({@code pipeline.model.metric}). */
  static Set<Metric> selectable(Task task) {
    return switch (task) {
      case BINARY -> Set.of(Metric.AREA_UNDER_ROC, Metric.AREA_UNDER_PR, Metric.LOG_LOSS, Metric.ACCURACY);
      case MULTICLASS -> Set.of(Metric.ACCURACY, Metric.MACRO_F1, Metric.WEIGHTED_F1, Metric.LOG_LOSS);
      case REGRESSION -> Set.of(Metric.RMSE, Metric.MAE, Metric.R2);
    };
  }

  /** The binary metrics of rows scored by an MLlib classifier (its {@code probability} vector). */
  static HeldOutMetrics.Metrics binary(Dataset<Row> scored) {
    return HeldOutMetrics.ofScores(
        scored.withColumn("_p", vector_to_array(col("probability"), "float64").getItem(1)), "_p", ModelTrainer.LABEL);
  }

  /**
   * The metrics of rows scored by an MLlib model, with the rows they are computed on: those of
   * {@link #binary}, or the multiclass or regression ones.
   */
  static Map<String, Double> of(Dataset<Row> scored, Task task) {
    return switch (task) {
      case BINARY -> binary(scored).byName();
      case MULTICLASS -> multiclass(scored);
      case REGRESSION -> ErrorSums.read(scored.select(ErrorSums.aggregates(col("prediction"),
          col(ModelTrainer.LABEL))).first(), 0).metrics();
    };
  }

  /** Counts per (label's class, predicted class) and their log loss, in one grouped aggregation. */
  private static Map<String, Double> multiclass(Dataset<Row> scored) {
    Column label = col(ModelTrainer.LABEL);
    Column probabilityOfLabel = element_at(vector_to_array(col("probability"), "float64"), label.cast("int").plus(1));
    ClassCounts counts = new ClassCounts();
    for (Row r : scored.groupBy(label.cast("int"), col("prediction").cast("int"))
        .agg(count(lit(1)), sum(ClassCounts.logLossTerm(probabilityOfLabel))).collectAsList()) {
      counts.add(r.getInt(0), r.getInt(1), r.getLong(2));
      counts.addLogLoss(r.getDouble(3), r.getLong(2));
    }
    return counts.metrics();
  }
}
