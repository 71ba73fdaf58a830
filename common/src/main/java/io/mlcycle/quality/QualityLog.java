package io.mlcycle.quality;

import io.mlcycle.dataset.BatchKey;
import io.mlcycle.io.DeltaTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quality report history, {@code _mlcycle/quality}: one row per rule outcome, keyed by dataset,
 * batch, stage and the version of the table the stage wrote, so batches can be compared over time.
 * One Delta commit per stage run and batch, exactly once per run id.
 */
public final class QualityLog {
  /** {@code _mlcycle/quality}: one row per rule and batch, from ingest and validate. */
  public static final String TABLE = "quality";
  public static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("batch_id", DataTypes.StringType, false)
      .add("stage", DataTypes.StringType, false)
      .add("table_version", DataTypes.LongType, false)
      .add("rule", DataTypes.StringType, false)
      .add("rule_type", DataTypes.StringType, false)
      .add("severity", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("failed_rows", DataTypes.LongType, false)
      .add("total_rows", DataTypes.LongType, false)
      .add("metric", DataTypes.DoubleType, true)
      .add("message", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("recorded_at", DataTypes.TimestampType, false);

  private final SparkSession spark;
  private final String path;

  public QualityLog(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  /** Records the outcomes of a batch that was refused (nothing committed), once per run; returns the table's version. */
  public long recordRefused(BatchKey key, long tableVersion, long totalRows, List<RuleOutcome> outcomes, Instant at) {
    return record(key.appId("quality"), key, tableVersion, totalRows, outcomes, at);
  }

  /** Records the outcomes of a committed batch, once per batch; returns the table's version. */
  public long recordCommitted(BatchKey key, long tableVersion, long totalRows, List<RuleOutcome> outcomes,
                              Instant at) {
    return record(key.reportAppId("quality"), key, tableVersion, totalRows, outcomes, at);
  }

  /** Whether the committed batch's report is in the table. */
  public boolean hasCommitted(BatchKey key) {
    return DeltaTables.committed(spark, path, key.reportAppId("quality"));
  }

  private long record(String appId, BatchKey key, long tableVersion, long totalRows, List<RuleOutcome> outcomes,
                      Instant at) {
    List<Row> rows = outcomes.stream().map(o -> RowFactory.create(key.dataset(), key.batchId(), key.stage(),
        tableVersion, o.rule(), o.type(), o.severity().configName(), o.status(), o.failedRows(), totalRows,
        o.metric(), o.message(), key.runId(), Timestamp.from(at))).toList();
    Dataset<Row> frame = spark.createDataFrame(rows, SCHEMA).coalesce(1);
    return DeltaTables.appendOnce(frame, path, appId);
  }
}
