import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Writes a silver-like Delta table from the flights parquet, as validate would: flight_id, date
 * (timestamp), delay and distance (int), origin, destination, _batch_id (the month), _source_file;
 * one commit per month, like one validate run per monthly batch.
 * Usage: java MakeFlightsSilver.java PARQUET SILVER_PATH
 */
public class MakeFlightsSilver {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("make-flights-silver")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    Dataset<Row> flights = spark.read().parquet(args[0])
        .withColumn("flight_id", functions.format_string("F%07d", functions.monotonically_increasing_id()))
        .select(
            functions.col("flight_id"),
            functions.col("date").cast("timestamp").as("date"),
            functions.col("delay").cast("int").as("delay"),
            functions.col("distance").cast("int").as("distance"),
            functions.col("origin"),
            functions.col("destination"),
            functions.date_format(functions.col("date"), "yyyy-MM").as("_batch_id"))
        .withColumn("_source_file", functions.concat(functions.col("_batch_id"), functions.lit(".csv")))
        .cache();
    for (Row month : flights.select("_batch_id").distinct().orderBy("_batch_id").collectAsList()) {
      flights.where(functions.col("_batch_id").equalTo(month.getString(0))).coalesce(2)
          .write().format("delta").mode("append").save(args[1]);
    }
    System.out.println("silver " + args[1] + ": " + spark.read().format("delta").load(args[1]).count() + " rows");
    spark.stop();
  }
}
