package io.mlcycle.io;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;

/** Small reads of Delta table state that cost no Spark job. */
public final class DeltaTables {
  /** The version of a table that does not exist yet. */
  public static final long NO_TABLE = -1L;

  private DeltaTables() {}

  /** The latest committed version of the table at {@code path}, or {@link #NO_TABLE}. */
  public static long version(SparkSession spark, String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty()).version();
  }

  public static boolean exists(SparkSession spark, String path) {
    return version(spark, path) != NO_TABLE;
  }
}
