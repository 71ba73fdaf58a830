import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.File;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The floor under bench/ingest-validate.sh: the same monthly CSV batches through the same two stages and
 * Delta tables, with none of mlcycle's work — no quarantine, rules, de-duplication, profile or reports.
 * Stage "bronze": each CSV file read with the declared schema and appended to bronze as one commit
 * (exactly once per batch, like ingest). Stage "silver": each bronze batch read back and appended to
 * silver as one commit. Prints {"stage": ..., "seconds": ..., "rows": ...}; seconds count after the Spark
 * session started, like the jobs' own stage times.
 *
 *   java <spark options> -cp <launcher class path> bench/IngestFloor.java bronze|silver INPUT_DIR ROOT
 */
public class IngestFloor {
  public static void main(String[] args) {
    String stage = args[0];
    String root = args[2];
    SparkSession spark = SparkSession.builder().master("local[*]").appName("ingest-floor")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    long start = System.nanoTime();
    File[] files = new File(args[1]).listFiles((dir, name) -> name.endsWith(".csv"));
    Arrays.sort(files);
    StructType schema = new StructType().add("flight_id", "string").add("date", "timestamp").add("delay", "int")
        .add("distance", "int").add("origin", "string").add("destination", "string");
    for (File file : files) {
      String batch = file.getName().replace(".csv", "");
      Dataset<Row> rowsOfBatch = stage.equals("bronze")
          ? spark.read().option("header", "true").option("timestampFormat", "yyyy-MM-dd HH:mm:ss").schema(schema)
              .csv(file.getPath()).withColumn("_batch_id", lit(batch))
          : spark.read().format("delta").load(root + "/bronze").where(col("_batch_id").equalTo(batch));
      rowsOfBatch.write().format("delta").mode("append").option("txnAppId", stage + ":" + batch)
          .option("txnVersion", 0L).save(root + "/" + stage);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long rows = spark.read().format("delta").load(root + "/" + stage).count();
    System.out.printf("{\"stage\": \"%s\", \"seconds\": %.3f, \"rows\": %d}%n", stage, seconds, rows);
    spark.stop();
  }
}
