import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The floor under the scaling benchmark's mlcycle path (bench/MlcyclePath.java with bench/flights-bench.conf):
 * the same CSV through the same three stages, Delta tables and one JVM, with none of mlcycle's work.
 * "bronze": the CSV read with the declared schema and appended as one exactly-once commit, as
 * bench/IngestFloor.java does; "silver": the bronze batch read back and appended as one commit; "features":
 * silver read back, the pipeline's six feature expressions and its label computed and appended as one
 * commit. No quarantine, rules, de-duplication, profile, categories, reference statistics or reports.
 * Prints one JSON line: each stage's seconds (after the Spark session started, like the jobs' own stage
 * times), the session's start and the rows.
 *
 *   java <spark options> -cp <launcher class path> bench/PathFloor.java INPUT.csv ROOT
 */
public class PathFloor {
  public static void main(String[] args) {
    long processStart = System.nanoTime();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("path-floor")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    String root = args[1];
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("session", (System.nanoTime() - processStart) / 1e9);
    StructType schema = new StructType().add("flight_id", "string").add("date", "timestamp").add("delay", "int")
        .add("distance", "int").add("origin", "string").add("destination", "string");
    stage(seconds, "bronze", () -> append(spark.read().option("header", "true")
        .option("timestampFormat", "yyyy-MM-dd HH:mm:ss").schema(schema).csv(args[0])
        .withColumn("_batch_id", lit("bench")), root + "/bronze"));
    stage(seconds, "silver", () -> append(spark.read().format("delta").load(root + "/bronze")
        .where(col("_batch_id").equalTo("bench")), root + "/silver"));
    stage(seconds, "features", () -> append(spark.read().format("delta").load(root + "/silver").select(
        col("flight_id"), col("date"), col("_batch_id"), expr("hour(date)").as("hour"),
        expr("dayofweek(date)").as("day_of_week"), expr("month(date)").as("month"),
        expr("log(distance)").as("log_distance"), col("origin"), col("destination"),
        expr("delay > 15").as("delayed")), root + "/features"));
    long rows = spark.read().format("delta").load(root + "/features").count();
    StringBuilder line = new StringBuilder("{\"implementation\": \"floor\", \"rows\": " + rows);
    seconds.forEach((stage, s) -> line.append(String.format(", \"%s_s\": %.3f", stage, s)));
    System.out.println(line.append("}"));
    spark.stop();
  }

  private static void stage(Map<String, Double> seconds, String name, Runnable work) {
    long start = System.nanoTime();
    work.run();
    seconds.put(name, (System.nanoTime() - start) / 1e9);
  }

  private static void append(Dataset<Row> rows, String path) {
    rows.write().format("delta").mode("append").option("txnAppId", path).option("txnVersion", 0L).save(path);
  }
}
