package io.mlcycle.monitoring;

import io.delta.tables.DeltaTable;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _mlcycle/decisions}: every retrain decision with its reason, written exactly once per (model,
 * run); when the retrain it triggered registers a model, {@link #linkModel} fills {@code new_model_version}.
 */
public final class DecisionsTable {
  public static final String TABLE = "decisions";

  static final StructType SCHEMA = new StructType()
      .add("decided_at", DataTypes.TimestampType, false)
      .add("model", DataTypes.StringType, false)
      .add("decision", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("triggered", DataTypes.BooleanType, false)
      .add("trigger", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("new_model_version", DataTypes.IntegerType, true);

  private DecisionsTable() {}

  /** Appends the decision once per (model, run); returns the table's version. */
  public static long record(SparkSession spark, Storage storage, String model, RetrainDecision decision, String runId,
                            Instant decidedAt) {
    Row row = RowFactory.create(Timestamp.from(decidedAt), model, decision.decision(), decision.reason(),
        decision.triggered(), decision.trigger(), runId, null);
    return DeltaTables.appendOnce(spark.createDataFrame(List.of(row), SCHEMA), storage.system(TABLE),
        "decision/" + model + "/" + runId);
  }

  /**
   * Links the model version a triggered retrain registered to its decision. Idempotent: a rerun sets the
   * same value, and a decision already linked is left alone. Returns the table's version.
   */
  public static long linkModel(SparkSession spark, Storage storage, String model, String runId, int newModelVersion) {
    String path = storage.system(TABLE);
    DeltaTable.forPath(spark, path).update(
        functions.col("model").equalTo(model).and(functions.col("run_id").equalTo(runId))
            .and(functions.col("triggered")).and(functions.col("new_model_version").isNull()),
        Map.of("new_model_version", functions.lit(newModelVersion)));
    return DeltaTables.version(spark, path);
  }

  /** A recorded decision and the run that recorded it. */
  public record Recorded(String runId, RetrainDecision decision) {}

  /**
   * The model's latest decision when it triggered a retrain that registered no model: the run that took it
   * was stopped before training, evaluating or registering. Empty when the latest triggered decision was
   * carried out (its model, go or no-go, is linked).
   */
  public static Optional<Recorded> unfinished(SparkSession spark, Storage storage, String model) {
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return Optional.empty();
    }
    List<Row> latest = spark.read().format("delta").load(path)
        .where(functions.col("model").equalTo(model).and(functions.col("triggered")))
        .orderBy(functions.col("decided_at").desc(), functions.col("run_id").desc()).limit(1)
        .select("run_id", "decision", "trigger", "reason", "new_model_version").collectAsList();
    return latest.stream().filter(r -> r.isNullAt(4)).findFirst().map(r -> new Recorded(r.getString(0),
        new RetrainDecision(true, r.getString(1), r.getString(2), r.getString(3))));
  }

  /** When the last decision that triggered a retrain of the model was made: what the cooldown counts from. */
  public static Optional<Instant> lastTriggered(SparkSession spark, Storage storage, String model) {
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return Optional.empty();
    }
    Row row = spark.read().format("delta").load(path)
        .where(functions.col("model").equalTo(model).and(functions.col("triggered")))
        .agg(functions.max("decided_at")).first();
    return row.isNullAt(0) ? Optional.empty() : Optional.of(row.getTimestamp(0).toInstant());
  }
}
