package io.mlcycle.scoring;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The owner of {@code predictions/<dataset>}: one row per scored entity and arm, written once per batch
 * (application id {@code predictions/<batch id>}), so that a retried score writes nothing.
 */
public final class PredictionsTable {
  private final SparkSession spark;
  private final String dataset;
  private final String path;

  public PredictionsTable(SparkSession spark, Storage storage, String dataset) {
    this.spark = spark;
    this.dataset = dataset;
    this.path = storage.path(name(dataset));
  }

  /** The table's name under the storage root, as summaries and lineage name it. */
  public static String name(String dataset) {
    return "predictions/" + dataset;
  }

  public String name() {
    return name(dataset);
  }

  public String path() {
    return path;
  }

  /** The table's Delta version, {@link DeltaTables#NO_TABLE} before the first batch is scored. */
  public long version() {
    return DeltaTables.version(spark, path);
  }

  public boolean exists() {
    return DeltaTables.exists(spark, path);
  }

  /** Whether the batch's predictions are already written. */
  public boolean scored(String batchId) {
    return DeltaTables.committed(spark, path, appId(batchId));
  }

  /**
   * Appends the batch's scored rows, without the unseen-category flags, exactly once per batch. Returns
   * the table's version after the call.
   */
  public long write(Dataset<Row> scored, String batchId) {
    return DeltaTables.appendOnce(scored.select(BatchScorer.predictionColumns(scored)), path, appId(batchId));
  }

  /** Every prediction, of every batch. */
  public Dataset<Row> rows() {
    return spark.read().format("delta").load(path);
  }

  /** The predictions of one batch. */
  public Dataset<Row> batch(String batchId) {
    return rows().where(col(FeaturePipeline.BATCH_ID).equalTo(batchId));
  }

  private static String appId(String batchId) {
    return "predictions/" + batchId;
  }
}
