package io.mlcycle.monitoring;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _mlcycle/drift}: one row per column of each monitored batch and model version, written exactly
 * once per (model, version, batch), so a rerun of the monitor changes nothing. Measures that do not apply
 * (KS of a categorical feature) are null.
 */
public final class DriftTable {
  public static final String TABLE = "drift";

  static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("model_version", DataTypes.IntegerType, false)
      .add("batch_id", DataTypes.StringType, false)
      .add("feature", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("psi", DataTypes.DoubleType, true)
      .add("ks", DataTypes.DoubleType, true)
      .add("chi2", DataTypes.DoubleType, true)
      .add("chi2_p_value", DataTypes.DoubleType, true)
      .add("js", DataTypes.DoubleType, true)
      .add("drifted", DataTypes.BooleanType, false)
      .add("rows", DataTypes.LongType, false)
      .add("computed_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false);

  private DriftTable() {}

  /** The drift of one batch as the drift history sees it: how many features there were and drifted. */
  public record BatchShare(String batchId, long features, long drifted, Instant computedAt) {
    public double share() {
      return features == 0 ? 0 : (double) drifted / features;
    }
  }

  /** Appends the report's rows once per (model, version, batch); returns the table's version. */
  public static long write(SparkSession spark, Storage storage, String model, int modelVersion, String batchId,
                           DriftReport report, String runId, Instant computedAt) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = Timestamp.from(computedAt);
    for (FeatureDrift f : report.all()) {
      rows.add(RowFactory.create(model, modelVersion, batchId, f.feature(), f.kind(), orNull(f.psi()), orNull(f.ks()),
          orNull(f.chi2()), orNull(f.chi2PValue()), orNull(f.js()), f.drifted(), f.rows(), at, runId));
    }
    return DeltaTables.appendOnce(spark.createDataFrame(rows, SCHEMA), storage.system(TABLE),
        appId(model, modelVersion, batchId));
  }

  /** Whether the batch's drift for this model version is already recorded; costs no Spark job. */
  public static boolean recorded(SparkSession spark, Storage storage, String model, int modelVersion, String batchId) {
    return DeltaTables.committed(spark, storage.system(TABLE), appId(model, modelVersion, batchId));
  }

  /**
   * Per monitored batch of a model version, oldest first (by when it was measured): the features and how
   * many drifted, {@code unmonitored} features left out. What the drift trigger of {@link RetrainTriggers}
   * reads. One small Spark job.
   */
  public static List<BatchShare> history(SparkSession spark, Storage storage, String model, int modelVersion,
                                         Set<String> unmonitored) {
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return List.of();
    }
    Column rowsOfVersion = functions.col("model").equalTo(model)
        .and(functions.col("model_version").equalTo(modelVersion))
        .and(functions.col("kind").notEqual(ReferenceBins.Kind.PREDICTION.label()));
    if (!unmonitored.isEmpty()) {
      rowsOfVersion = rowsOfVersion.and(functions.not(functions.col("feature").isin(unmonitored.toArray())));
    }
    List<Row> rows = spark.read().format("delta").load(path).where(rowsOfVersion)
        .groupBy("batch_id")
        .agg(functions.count(functions.lit(1)), functions.count_if(functions.col("drifted")),
            functions.min("computed_at").as("computed_at"))
        .orderBy("computed_at", "batch_id").collectAsList();
    return rows.stream().map(r -> new BatchShare(r.getString(0), r.getLong(1), r.getLong(2),
        r.getTimestamp(3).toInstant())).toList();
  }

  private static String appId(String model, int modelVersion, String batchId) {
    return "drift/" + model + "/" + modelVersion + "/" + batchId;
  }

  private static Double orNull(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
