package io.mlcycle.features;

import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.config.Settings;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Silver-like flights for feature tests, as validate writes them, and the shipped flights feature
 * config (conf/pipelines/flights.conf) pointed at a small airports file and a temp storage root.
 */
public final class FlightsFixture {
  public static final StructType SILVER = new StructType()
      .add("flight_id", DataTypes.StringType)
      .add("date", DataTypes.TimestampType)
      .add("delay", DataTypes.IntegerType)
      .add("distance", DataTypes.IntegerType)
      .add("origin", DataTypes.StringType)
      .add("destination", DataTypes.StringType)
      .add("_batch_id", DataTypes.StringType)
      .add("_source_file", DataTypes.StringType);

  public static final Instant START = Instant.parse("2001-01-01T00:00:00Z");
  private static final String[] AIRPORTS = {"ATL", "ORD", "DFW", "LAX"};

  private FlightsFixture() {}

  /** One silver row. */
  public record Flight(String id, Instant time, int delay, int distance, String origin, String destination, String batch) {
    public Flight withDelay(int newDelay) {
      return new Flight(id, time, newDelay, distance, origin, destination, batch);
    }

    public Flight inBatch(String newBatch) {
      return new Flight(id, time, delay, distance, origin, destination, newBatch);
    }

    Row row() {
      return RowFactory.create(id, Timestamp.from(time), delay, distance, origin, destination, batch, batch + ".csv");
    }
  }

  /**
   * {@code count} flights over {@code days} days between four airports, with repeated timestamps (to
   * pin "strictly before") and about a quarter delayed; the same seed gives the same flights.
   */
  public static List<Flight> flights(long seed, int count, int days) {
    Random random = new Random(seed);
    List<Flight> flights = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long minutes = random.nextInt(days * 24 * 4) * 15L;
      String origin = AIRPORTS[random.nextInt(AIRPORTS.length)];
      String destination = AIRPORTS[(Arrays.asList(AIRPORTS).indexOf(origin) + 1 + random.nextInt(3)) % AIRPORTS.length];
      int delay = random.nextInt(4) == 0 ? 16 + random.nextInt(90) : random.nextInt(30) - 14;
      flights.add(new Flight(String.format("F%05d", i), START.plus(Duration.ofMinutes(minutes)), delay,
          200 + random.nextInt(2000), origin, destination, "b1"));
    }
    return flights;
  }

  public static Dataset<Row> rows(SparkSession spark, List<Flight> flights) {
    return spark.createDataFrame(flights.stream().map(Flight::row).toList(), SILVER);
  }

  /** Appends the flights to silver in one commit, as one validate run would. */
  public static void appendSilver(SparkSession spark, String silverPath, List<Flight> flights) {
    rows(spark, flights).coalesce(1).write().format("delta").mode("append").save(silverPath);
  }

  /** The shipped flights feature config, storage under {@code root}, airports from the test resources. */
  public static Settings settings(Path root, String... sets) {
    List<String> all = new ArrayList<>(List.of(
        "mlcycle.spark.master=local[2]",
        "mlcycle.spark.shuffle-partitions=2",
        "mlcycle.storage.root=" + root.toAbsolutePath(),
        "pipeline.reference-tables.airports.path=" + airports()));
    all.addAll(List.of(sets));
    return ConfigLoader.load(new ConfigRequest(Optional.empty(), Optional.of(pipelineFile().toString()), all));
  }

  public static FeatureSpec spec(Path root, String... sets) {
    return FeatureSpec.from(settings(root, sets).config());
  }

  /** conf/pipelines/flights.conf of this checkout, found from the module's working directory. */
  public static Path pipelineFile() {
    return bundled("conf/pipelines/flights.conf");
  }

  /** A file of this checkout, e.g. data/flights/raw/2001-05.csv, found from the module's working directory. */
  public static Path bundled(String relative) {
    return Stream.of(Path.of(relative), Path.of("..", relative))
        .filter(p -> p.toFile().isFile()).findFirst().orElseThrow().toAbsolutePath().normalize();
  }

  /**
   * Months of the bundled real sample (data/flights/raw) as silver rows, one batch per month named like
   * its file (2001-05); read as they are, without validate (use the clean months, not April).
   */
  public static Dataset<Row> bundledMonths(SparkSession spark, String... months) {
    StructType raw = new StructType(java.util.Arrays.copyOf(SILVER.fields(), 6));
    String[] files = Stream.of(months).map(m -> bundled("data/flights/raw/" + m + ".csv").toUri().toString())
        .toArray(String[]::new);
    org.apache.spark.sql.Column file = org.apache.spark.sql.functions.col("_metadata.file_name");
    return spark.read().schema(raw).option("header", "true").option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
        .csv(files)
        .withColumn("_batch_id", org.apache.spark.sql.functions.regexp_replace(file, "\\.csv$", ""))
        .withColumn("_source_file", file);
  }

  private static Path airportsCopy;

  /** The small airports file of the test resources, copied out (once) when it sits inside the test jar. */
  public static synchronized Path airports() {
    if (airportsCopy != null) {
      return airportsCopy;
    }
    try {
      java.net.URI uri = FlightsFixture.class.getClassLoader().getResource("features/airports.csv").toURI();
      if (uri.getScheme().equals("file")) {
        return Path.of(uri);
      }
      Path copy = java.nio.file.Files.createTempFile("airports", ".csv");
      copy.toFile().deleteOnExit();
      try (java.io.InputStream in = FlightsFixture.class.getClassLoader().getResourceAsStream("features/airports.csv")) {
        java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      airportsCopy = copy;
      return copy;
    } catch (URISyntaxException | java.io.IOException e) {
      throw new IllegalStateException("Cannot provide the test airports file", e);
    }
  }
}
