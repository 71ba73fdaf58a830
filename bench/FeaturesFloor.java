import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The floor under bench/features.sh: the same silver table and the same three 7-day windows, computed the
 * same incremental way (differences of running totals), written to a Delta table in one commit — and
 * nothing else: no lookups, value features, label, categories or reference statistics. Prints
 * {"seconds": ..., "rows": ...}; seconds count after the Spark session started, like the job's own.
 *
 *   java <spark options> -cp <launcher class path> bench/FeaturesFloor.java SILVER_TABLE OUT_TABLE
 */
public class FeaturesFloor {
  private static final long WEEK = 7L * 24 * 3600 * 1_000_000;
  private static final long TWO_HOURS = 2L * 3600 * 1_000_000;

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[*]").appName("features-floor")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    long start = System.nanoTime();
    Dataset<Row> silver = spark.read().format("delta").load(args[0]).withColumn("m", unix_micros(col("date")));
    Column delayed = expr("if(delay > 15, 1.0, 0.0)");
    Dataset<Row> features = silver.select(col("flight_id"), col("date"), col("_batch_id"),
        window(new String[] {"origin"}, lit(1.0), 1, false).as("origin_flights_7d"),
        window(new String[] {"origin"}, delayed, TWO_HOURS, true).as("origin_delayed_share_7d"),
        window(new String[] {"origin", "destination"}, lit(1.0), 1, false).as("route_flights_7d"));
    features.write().format("delta").mode("overwrite").save(args[1]);
    double seconds = (System.nanoTime() - start) / 1e9;
    long rows = spark.read().format("delta").load(args[1]).count();
    System.out.printf("{\"seconds\": %.3f, \"rows\": %d}%n", seconds, rows);
    spark.stop();
  }

  private static Column window(String[] groups, Column value, long lag, boolean average) {
    WindowSpec ordered = Window.partitionBy(java.util.Arrays.stream(groups).map(c -> col(c)).toArray(Column[]::new))
        .orderBy(col("m"));
    WindowSpec upToEnd = ordered.rangeBetween(Window.unboundedPreceding(), -lag);
    WindowSpec beforeStart = ordered.rangeBetween(Window.unboundedPreceding(), -WEEK - 1);
    Column rows = count(value).over(upToEnd).minus(count(value).over(beforeStart));
    if (!average) {
      return rows.cast("double");
    }
    Column total = sum(value).over(upToEnd).minus(coalesce(sum(value).over(beforeStart), lit(0.0)));
    return when(rows.gt(0), total.divide(rows));
  }
}
