package io.mlcycle.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.mlcycle.dataset.BatchKey;
import io.mlcycle.io.DeltaTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Appends rejected rows to {@code quarantine/<dataset>}: {@code _batch_id, _stage, _source_file, _raw,
 * _reasons, _quarantined_at}. {@code _raw} is the raw text (ingest) or the row as JSON without its PII
 * columns (validate); {@code _reasons} lists every check the row failed. One commit per stage and batch.
 */
public final class QuarantineWriter {
  private final String path;

  public QuarantineWriter(String path) {
    this.path = path;
  }

  /**
   * Writes the rows (already filtered to the rejected ones) exactly once per batch and stage.
   *
   * @param raw the {@code _raw} text of each row
   * @param reasons an {@code array<string>} column
   * @return the quarantine table's version after the write
   */
  public long write(Dataset<Row> rejected, BatchKey key, Column raw, Column reasons, Instant at) {
    Dataset<Row> rows = rejected.select(
        lit(key.batchId()).as("_batch_id"),
        lit(key.stage()).as("_stage"),
        col("_source_file").cast(DataTypes.StringType).as("_source_file"),
        raw.cast(DataTypes.StringType).as("_raw"),
        reasons.as("_reasons"),
        lit(Timestamp.from(at)).as("_quarantined_at"));
    return DeltaTables.appendOnce(rows, path, key.batchAppId(),
        DeltaTables.appendOptions(List.of("_batch_id", "_stage"), false));
  }
}
