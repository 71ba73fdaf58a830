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

  /** How often an exactly-once append is tried when concurrent writers keep committing first. */
  static final int CONFLICT_ATTEMPTS = 10;

  private DeltaTables() {}

  /**
   * Writer options for {@link #appendOnce}: Delta statistics of these columns only (when the write
   * creates the table), and the schema merged when the rows bring new columns.
   */
  public static Map<String, String> appendOptions(java.util.List<String> statsColumns, boolean mergeSchema) {
    Map<String, String> options = new java.util.HashMap<>();
    options.put(STATS_COLUMNS, String.join(",", statsColumns));
    if (mergeSchema) {
      options.put("mergeSchema", "true");
    }
    return options;
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
