package io.mlcycle.io;

import io.delta.exceptions.DeltaConcurrentModificationException;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import scala.Option;

/** Delta table state and exactly-once writes, shared by every job. */
public final class DeltaTables {
  /** The version of a table that does not exist yet. */
  public static final long NO_TABLE = -1L;

  /**
   * The table property naming the columns Delta keeps file statistics of (for data skipping), as a
   * writer option that takes effect when the write creates the table. By default Delta keeps min, max
   * and null count of the first 32 columns of every file, which costs more than the Parquet encoding
   * of wide tables; mlcycle's tables are filtered by batch, time and version only.
   */
  public static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  private static final String COLUMN_MAPPING_MODE = "delta.columnMapping.mode";

  /** Delta column mapping by name, and the protocol versions it needs. */
  private static final Map<String, String> COLUMN_MAPPING = Map.of(COLUMN_MAPPING_MODE, "name",
      "delta.minReaderVersion", "2", "delta.minWriterVersion", "5");

  /** How often an exactly-once append is tried when concurrent writers keep committing first. */
  static final int CONFLICT_ATTEMPTS = 10;

  private DeltaTables() {}

  /**
   * Writer options for {@link #appendOnce}: Delta statistics of these columns only (when the write
   * creates the table), and the schema merged when the rows bring new columns.
   */
  public static Map<String, String> appendOptions(java.util.List<String> statsColumns, boolean mergeSchema) {
    Map<String, String> options = new java.util.HashMap<>();
    options.put(STATS_COLUMNS, ColumnNames.quotedList(statsColumns));
    if (mergeSchema) {
      options.put("mergeSchema", "true");
    }
    return options;
  }

  /**
   * The writer options that create a table mapping its columns by name when a column's name needs it
   * ({@link ColumnNames#needColumnMapping}); a table created before such a column arrived (schema evolution)
   * is switched to column mapping first. Nothing for any other schema: those tables stay readable by every
   * Delta reader.
   */
  public static Map<String, String> columnMapping(Dataset<Row> rows, String path) {
    if (!ColumnNames.needColumnMapping(rows.schema())) {
      return Map.of();
    }
    Snapshot snapshot = snapshot(rows.sparkSession(), path);
    if (snapshot.version() != NO_TABLE && !snapshot.metadata().configuration().contains(COLUMN_MAPPING_MODE)) {
      rows.sparkSession().sql("ALTER TABLE delta." + ColumnNames.quoted(path) + " SET TBLPROPERTIES ("
          + COLUMN_MAPPING.entrySet().stream().map(e -> "'" + e.getKey() + "' = '" + e.getValue() + "'")
              .collect(java.util.stream.Collectors.joining(", ")) + ")");
    }
    return COLUMN_MAPPING;
  }

  /** The latest committed version of the table at {@code path}, or {@link #NO_TABLE}; costs no Spark job. */
  public static long version(SparkSession spark, String path) {
    return snapshot(spark, path).version();
  }

  public static boolean exists(SparkSession spark, String path) {
    return version(spark, path) != NO_TABLE;
  }

  /** Whether a commit with this application id (see {@link #appendOnce}) is already in the table. */
  public static boolean committed(SparkSession spark, String path, String appId) {
    Snapshot snapshot = snapshot(spark, path);
    return snapshot.version() != NO_TABLE && snapshot.transactions().contains(appId);
  }

  /**
   * Appends {@code rows} in one commit, exactly once per {@code appId}: a retry with the same id (the
   * same batch, the same run) writes nothing. Returns the table's version after the call.
   *
   * @param options further Delta writer options, e.g. {@code mergeSchema}
   */
  public static long appendOnce(Dataset<Row> rows, String path, String appId, Map<String, String> options) {
    for (int attempt = 1; ; attempt++) {
      try {
        rows.write().format("delta").mode("append")
            .option("txnAppId", appId)
            .option("txnVersion", 0L)
            .options(options)
            .options(columnMapping(rows, path))
            .save(path);
        return version(rows.sparkSession(), path);
      } catch (DeltaConcurrentModificationException e) {
        // Another writer committed first — most often both created the table at once (Delta then says the
        // protocol or metadata changed). The append is exactly-once, so writing again is safe: it lands
        // after theirs, or finds its own app id already committed and writes nothing.
        if (attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  public static long appendOnce(Dataset<Row> rows, String path, String appId) {
    return appendOnce(rows, path, appId, Map.of());
  }

  /** Every application id committed to the table through {@link #appendOnce}; costs no Spark job. */
  public static java.util.Set<String> appIds(SparkSession spark, String path) {
    Snapshot snapshot = snapshot(spark, path);
    if (snapshot.version() == NO_TABLE) {
      return java.util.Set.of();
    }
    return java.util.Set.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(snapshot.transactions().keySet()));
  }

  private static Snapshot snapshot(SparkSession spark, String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty());
  }
}
