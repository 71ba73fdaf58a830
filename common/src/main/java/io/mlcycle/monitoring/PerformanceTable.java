package io.mlcycle.monitoring;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.metrics.Metric;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _mlcycle/performance}: realised metrics, one row per metric, written exactly once per (model,
 * label batch) — the batch that brought the outcomes — so a rerun changes nothing. Rows of a model version
 * and role have {@code slice} null; worst-slice rows name it as {@code column=value} and carry
 * their error ({@code logLoss}; regression {@code rmse}) and, for classifiers, {@code error_rate}; the
 * {@code unmatched_labels} row (labels no prediction matched)
 * has role {@code all} and no model version. Undefined metrics (AUC with one class) are left out.
 */
public final class PerformanceTable {
  public static final String TABLE = "performance";
  /** The role of rows about no single model version. */
  public static final String ALL_ROLES = "all";

  static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("model_version", DataTypes.IntegerType, true)
      .add("role", DataTypes.StringType, false)
      .add("batch_id", DataTypes.StringType, false)
      .add("slice", DataTypes.StringType, true)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("labelled_rows", DataTypes.LongType, false)
      .add("computed_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);

  private PerformanceTable() {}

  /** Appends the report once per (model, label batch); returns the table's version. */
  public static long write(SparkSession spark, Storage storage, String model, String batchId,
                           RealisedPerformance.Report report, String runId, Instant computedAt) {
    Timestamp at = Timestamp.from(computedAt);
    List<Row> rows = new ArrayList<>();
    for (RealisedPerformance.VersionPerformance v : report.versions()) {
      v.metrics().forEach((metric, value) -> {
        if (!Double.isNaN(value)) {
          rows.add(RowFactory.create(model, v.modelVersion(), v.role(), batchId, null, metric, value, v.labelled(),
              at, runId));
        }
      });
    }
    for (RealisedPerformance.SliceError s : report.worstSlices()) {
      String slice = s.column() + "=" + s.value();
      if (!Double.isNaN(s.error())) {
        rows.add(RowFactory.create(model, s.modelVersion(), s.role(), batchId, slice, s.metric(), s.error(),
            s.labelled(), at, runId));
      }
      if (!Double.isNaN(s.errorRate())) {
        rows.add(RowFactory.create(model, s.modelVersion(), s.role(), batchId, slice, Metric.ERROR_RATE.id(),
            s.errorRate(), s.labelled(), at, runId));
      }
    }
    rows.add(RowFactory.create(model, null, ALL_ROLES, batchId, null, Metric.UNMATCHED_LABELS.id(),
        (double) report.unmatchedLabels(), 0L, at, runId));
    return DeltaTables.appendOnce(spark.createDataFrame(rows, SCHEMA), storage.system(TABLE),
        "performance/" + model + "/" + batchId);
  }

  /**
   * The worst slices recorded for the model's latest label batch, worst (highest error) first: what the
   * system-health report lists. One small Spark job.
   */
  public static List<RealisedPerformance.SliceError> latestWorstSlices(SparkSession spark, Storage storage,
                                                                       String model) {
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return List.of();
    }
    Column errorRate = functions.col("metric").equalTo(Metric.ERROR_RATE.id());
    return spark.read().format("delta").load(path)
        .where(functions.col("model").equalTo(model).and(functions.col("slice").isNotNull()))
        .withColumn("newest", functions.max("computed_at").over(Window.partitionBy("model")))
        .where(functions.col("computed_at").equalTo(functions.col("newest")))
        .groupBy("model_version", "role", "slice", "labelled_rows")
        .agg(functions.max(functions.when(functions.not(errorRate), functions.col("metric"))).as("error_metric"),
            functions.max(functions.when(functions.not(errorRate), functions.col("value"))).as("error"),
            functions.max(functions.when(errorRate, functions.col("value"))))
        .orderBy(functions.col("error").desc(), functions.col("slice"))
        .collectAsList().stream().map(r -> {
          String slice = r.getString(2);
          int equals = slice.indexOf('=');
          return new RealisedPerformance.SliceError(r.getInt(0), r.getString(1), slice.substring(0, equals),
              slice.substring(equals + 1), r.getLong(3), r.getString(4), r.getDouble(5),
              r.isNullAt(6) ? Double.NaN : r.getDouble(6));
        }).toList();
  }

  /**
   * The latest realised metrics (not slices) of a model version in a role, by name; empty when none were
   * measured yet. What the performance trigger of {@link RetrainTriggers} reads. One small Spark job.
   */
  public static Map<String, Double> latest(SparkSession spark, Storage storage, String model, int modelVersion,
                                           String role) {
    String path = storage.system(TABLE);
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (!DeltaTables.exists(spark, path)) {
      return metrics;
    }
    spark.read().format("delta").load(path)
        .where(functions.col("model").equalTo(model).and(functions.col("model_version").equalTo(modelVersion))
            .and(functions.col("role").equalTo(role)).and(functions.col("slice").isNull()))
        .withColumn("newest", functions.max("computed_at").over(Window.partitionBy("metric")))
        .where(functions.col("computed_at").equalTo(functions.col("newest")))
        .select("metric", "value").orderBy("metric").collectAsList()
        .forEach(r -> metrics.put(r.getString(0), r.getDouble(1)));
    return metrics;
  }
}
