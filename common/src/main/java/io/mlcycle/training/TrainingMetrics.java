package io.mlcycle.training;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.sum;

import io.mlcycle.metrics.ClassCounts;
import io.mlcycle.metrics.ErrorSums;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.util.List;
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

  /**
   * A model's metrics on its held-out rows ({@link #of}) and, for regression, the deciles of its residuals
   * (prediction − label) at 10%, 20%, …, 90%: the bins monitoring measures residual drift over (each holds a
   * tenth of the held-out rows). Exact percentiles, so the same rows give the same edges whatever the
   * partitioning; one Spark job.
   */
  record HeldOut(Map<String, Double> metrics, List<Double> residualDeciles) {}

  static HeldOut heldOut(Dataset<Row> scored, Task task) {
    if (task != Task.REGRESSION) {
      return new HeldOut(of(scored, task), List.of());
    }
    Column[] errors = ErrorSums.aggregates(col("prediction"), col(ModelTrainer.LABEL));
    Column[] all = java.util.Arrays.copyOf(errors, errors.length + 1);
    all[errors.length] = percentile(col("prediction").minus(col(ModelTrainer.LABEL)),
        array(DECILES.stream().map(d -> lit(d)).toArray(Column[]::new)));
    Row row = scored.select(all).first();
    List<Double> deciles = row.isNullAt(errors.length) ? List.of() : row.getList(errors.length);
    return new HeldOut(ErrorSums.read(row, 0).metrics(), List.copyOf(deciles));
  }

  /** The residual deciles' positions, as {@code residual_quantile} metrics name them ({@code p10} … {@code p90}). */
  static final List<Double> DECILES = List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

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
