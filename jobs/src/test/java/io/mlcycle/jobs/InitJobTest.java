package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlcycle init} on raw files it has never seen — a CSV of orders (a column name with spaces and symbols, a
 * timestamp, a free-text column, a 0/1 label), a JSON array of iris-like measurements and a Parquet file of house
 * prices. The binary and the regression pipeline it writes run unchanged through ingest → validate → features →
 * train → evaluate → promote → score → monitor; the multiclass one through ingest and validate (its training is
 * EveryTaskJobsTest's). Every pipeline is found by name beside the test's environment file, as a user's is in
 * conf/pipelines.
 */
class InitJobTest {
  private static final String[] SPECIES = {"setosa", "versicolor", "virginica"};
  private static final double[][] CENTRES = {{5.0, 3.4, 1.5, 0.2}, {5.9, 2.8, 4.3, 1.3}, {6.6, 3.0, 5.6, 2.0}};

  @TempDir
  Path dir;

  private static SparkSession spark() {
    return TestSpark.session();
  }

  @Test
  void ordersCsvGivesABinaryPipelineThatRunsTheWholeLoop() throws IOException {
    Path conf = environment();
    Path first = write("raw/orders-01.csv", orders(0, 300));
    write("raw/orders-02.csv", orders(300, 400));

    JobRun init = run(conf, "init", "--input", first.toString(), "--label", "returned", "--name", "orders");
    assertEquals(0, init.code(), init.err() + init.out());
    assertTrue(init.out().contains("./mlcycle ingest --pipeline orders"), init.out());
    String written = Files.readString(dir.resolve("conf/pipelines/orders.conf"));
    assertTrue(written.contains("entity-key = [\"order_id\"]"), written);
    assertTrue(written.contains("event-time = \"ordered at\""), written);
    assertTrue(written.contains("{ name = \"Unit Price ($)\", type = \"double\" }"), written);
    assertTrue(written.contains("# 0 nulls") || written.contains("no nulls"), written);
    assertTrue(written.contains("{ type = \"unique\", columns = [\"order_id\"], severity = \"drop\" }"), written);
    assertTrue(written.contains("{ type = \"range\", column = \"Unit Price ($)\", min = 0, max = "), written);
    assertTrue(written.contains(
        "{ type = \"allowed\", column = \"store\", values = [\"Lyon\", \"Nice\", \"Paris (FR)\"]"), written);
    assertTrue(written.contains("{ type = \"max-null-fraction\", column = \"coupon\""), written);
    assertTrue(written.contains("task = \"binary\"") && written.contains("metric = \"areaUnderROC\""), written);
    assertTrue(written.contains("expr = \"`returned`\""), written);
    assertTrue(written.contains("{ name = unit_price, expr = \"`Unit Price ($)`\" }"), written);
    assertTrue(written.contains("{ name = store, expr = \"`store`\", categorical = true }"), written);
    assertTrue(written.contains("expr = \"hour(`ordered at`)\", categorical = true"), written);
    assertTrue(written.contains("note: text with"), "free text is left out, saying why: " + written);
    assertFalse(written.contains("name = returned") || written.contains("name = order_id"), written);

    JobRun again = run(conf, "init", "--input", first.toString(), "--label", "returned", "--name", "orders");
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("--force"), again.err());
    assertEquals(0, run(conf, "init", "--input", first.toString(), "--label", "returned", "--name", "orders",
        "--force").code());

    loop(conf, "orders", dir.resolve("raw/orders-*.csv").toString(), "orders-02");
  }

  @Test
  void jsonArrayOfMeasurementsGivesAMulticlassPipelineThatIngestsAndValidatesEveryRow() throws IOException {
    Path conf = environment();
    Path first = write("iris/iris-01.json", measurements(0, 240, 1));
    write("iris/iris-02.json", measurements(240, 320, 2));

    JobRun init = run(conf, "init", "--input", first.toString(), "--label", "Species", "--name", "iris");
    assertEquals(0, init.code(), init.err() + init.out());
    String written = Files.readString(dir.resolve("conf/pipelines/iris.conf"));
    assertTrue(written.contains("format = \"multiline-json\""), written);
    assertTrue(written.contains("entity-key = [\"sample_id\"]"), written);
    assertTrue(written.contains("event-time = \"measured\""), written);
    assertTrue(written.contains("task = \"multiclass\"") && written.contains("metric = \"macroF1\""), written);
    assertTrue(written.contains("expr = \"`species`\""), "the label's name is matched as Spark does, ignoring case");
    assertTrue(written.contains("{ name = sepal_length, expr = \"`sepal length`\" }"), written);
    assertTrue(written.contains("min-train-rows = "), "240 rows are too few for the default: " + written);
    Path lines = write("other/iris-lines.json", String.join("\n", measurements(0, 40, 1).lines()
        .filter(line -> line.startsWith("  {")).map(line -> line.strip().replaceAll(",$", "")).toList()) + "\n");
    JobRun jsonLines = run(conf, "init", "--input", lines.toString(), "--label", "species", "--output",
        dir.resolve("other/lines.conf").toString());
    assertEquals(0, jsonLines.code(), jsonLines.err());
    String linesFile = Files.readString(dir.resolve("other/lines.conf"));
    assertTrue(linesFile.contains("format = \"json\"") && linesFile.contains("event-time = \"measured\""), linesFile);
    assertTrue(jsonLines.out().contains("--pipeline " + dir.resolve("other/lines.conf")), jsonLines.out());

    JobRun ingest = succeeded(conf, "ingest", "--pipeline", "iris", "--input", dir.resolve("iris").toString(),
        "--batch-per-file");
    assertEquals(0, ingest.summary().get("counts").get("rows_quarantined").asLong(), ingest.out());
    succeeded(conf, "validate", "--pipeline", "iris");
    assertEquals(320, spark().read().format("delta").load(dir.resolve("lake/silver/iris").toString())
        .where("measured is not null").count(), "every row's timestamp parsed, none quarantined");
  }

  @Test
  void parquetOfHousePricesGivesARegressionPipelineThatTrains() throws IOException {
    Path conf = environment();
    Path first = houses("houses-01", 0, 300);
    houses("houses-02", 300, 400);

    JobRun init = run(conf, "init", "--input", first.toString(), "--label", "price", "--name", "houses");
    assertEquals(0, init.code(), init.err() + init.out());
    String written = Files.readString(dir.resolve("conf/pipelines/houses.conf"));
    assertTrue(written.contains("format = \"parquet\""), written);
    assertTrue(written.contains("entity-key = [\"house_id\"]"), written);
    assertTrue(written.contains("task = \"regression\"") && written.contains("algorithm = \"linear-regression\""),
        written);
    assertTrue(written.contains("metric = \"rmse\"") && written.contains("min { r2 = 0 }"), written);
    assertTrue(written.contains("{ name = district, expr = \"`district`\", categorical = true }"), written);

    // Through training only: the whole loop of a regression pipeline runs in EveryTaskJobsTest and
    // ShippedExamplesJobsTest; here what matters is that init's regression choices train as written.
    ingestToTraining(conf, "houses", dir.resolve("houses/*.parquet").toString());
  }

  @Test
  void aMissingFileAnUnknownLabelAndAnUnreadableFormatExitTwoAndNoTimeIsNoEventTime() throws IOException {
    Path conf = environment();
    JobRun missing = run(conf, "init", "--input", dir.resolve("nosuch.csv").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("nosuch.csv") && missing.err().contains("does not exist"), missing.err());

    Path orders = write("raw/orders-01.csv", orders(0, 50));
    JobRun label = run(conf, "init", "--input", orders.toString(), "--label", "retruned");
    assertEquals(2, label.code(), label.err());
    assertTrue(label.err().contains("Did you mean 'returned'?"), label.err());

    JobRun format = run(conf, "init", "--input", orders.toString(), "--label", "returned", "--format", "parquet");
    assertEquals(2, format.code(), format.err());
    assertTrue(format.err().contains("Cannot read") && format.err().contains("as parquet"), format.err());

    JobRun unknown = run(conf, "init", "--input", write("raw/orders.xlsx", "x").toString());
    assertEquals(2, unknown.code(), unknown.err());
    assertTrue(unknown.err().contains("--format"), unknown.err());
    Path timeless = write("raw/scores.csv", "player_id,score,won\n" + String.join("\n", java.util.stream.IntStream
        .range(0, 40).mapToObj(i -> "P" + i + "," + (i * 7 % 50) + "," + (i % 2)).toList()) + "\n");
    if (Files.isDirectory(dir.resolve("conf/pipelines"))) {
      try (var written = Files.list(dir.resolve("conf/pipelines"))) {
        assertEquals(List.of(), written.toList(), "nothing is written on a refusal, not even the draft");
      }
    }

    // Data without a time column: no event time, no time features, a hash split; it loads as written.
    JobRun noTime = run(conf, "init", "--input", timeless.toString(), "--label", "won", "--name", "scores");
    assertEquals(0, noTime.code(), noTime.err() + noTime.out());
    String scores = Files.readString(dir.resolve("conf/pipelines/scores.conf"));
    assertTrue(scores.contains("event-time = \"\"") && scores.contains("no timestamp or date column"), scores);
    assertTrue(scores.contains("entity-key = [\"player_id\"]") && scores.contains("task = \"binary\""), scores);
  }

  /**
   * Both batches in, the first champion trained and evaluated on them (it becomes champion), the second
   * batch scored and monitored, the retrain decided and the report written, every job with exit 0.
   */
  private void loop(Path conf, String pipeline, String input, String scored) throws IOException {
    ingestToTraining(conf, pipeline, input);
    JobRun evaluate = succeeded(conf, "evaluate", "--pipeline", pipeline, "--run", pipeline + "-r1");
    assertTrue(evaluate.out().contains("Champion -> version 1"), evaluate.out());
    succeeded(conf, "score", "--pipeline", pipeline, "--batch", scored);
    succeeded(conf, "monitor", "--pipeline", pipeline, "--batch", scored);
    assertTrue(spark().read().format("delta").load(dir.resolve("lake/_mlcycle/performance").toString())
        .where("batch_id = '" + scored + "'").count() > 0, "realised performance of " + pipeline);
    JobRun retrain = succeeded(conf, "retrain", "--pipeline", pipeline);
    assertTrue(retrain.summary().get("counts").has("decision"), retrain.out());
    succeeded(conf, "report", "--pipeline", pipeline, "--output", dir.resolve(pipeline + ".html").toString());
    assertTrue(Files.readString(dir.resolve(pipeline + ".html")).contains(pipeline), "the report of " + pipeline);
  }

  private void ingestToTraining(Path conf, String pipeline, String input) throws IOException {
    JobRun ingest = succeeded(conf, "ingest", "--pipeline", pipeline, "--input", input, "--batch-per-file");
    assertEquals(0, ingest.summary().get("counts").get("rows_quarantined").asLong(),
        "every row parses: " + ingest.out());
    succeeded(conf, "validate", "--pipeline", pipeline);
    succeeded(conf, "features", "--pipeline", pipeline);
    succeeded(conf, "train", "--pipeline", pipeline, "--run-id", pipeline + "-r1");
  }

  /** The environment file every run reads: the test's storage root and small master. */
  private Path environment() throws IOException {
    return write("conf/local.conf", "mlcycle { storage.root = \"" + dir.resolve("lake")
        + "\", spark.master = \"local[2]\", spark.shuffle-partitions = 2 }\n");
  }

  private JobRun succeeded(Path conf, String... args) {
    JobRun run = run(conf, args);
    assertEquals(0, run.code(), String.join(" ", args) + " failed: " + run.err() + run.out());
    return run;
  }

  private static JobRun run(Path conf, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", conf.toString()));
    return JobRun.of(all.toArray(String[]::new));
  }

  /**
   * Orders every 3 hours from 2024-01-01: a price, a store, a quantity, a coupon code missing on most orders, a
   * free-text note, and whether the order came back: mostly the dear ones, one in five the other way.
   */
  private static String orders(int from, int to) {
    Random random = new Random(from);
    List<String> lines = new ArrayList<>(
        List.of("order_id,ordered at,Unit Price ($),store,quantity,coupon,note,returned"));
    List<String> stores = List.of("Paris (FR)", "Lyon", "Nice");
    for (int i = from; i < to; i++) {
      LocalDateTime time = LocalDateTime.of(2024, 1, 1, 8, 0).plusHours(3L * i);
      double price = Math.round((5 + random.nextDouble() * 95) * 100) / 100.0;
      boolean returned = (price > 55) != (random.nextInt(5) == 0);
      lines.add(String.join(",", String.format(Locale.ROOT, "O%05d", i), time.toString().replace('T', ' ') + ":00",
          Double.toString(price), stores.get(random.nextInt(3)), Integer.toString(1 + random.nextInt(5)),
          i % 4 == 0 ? "SPRING" + (i % 3) : "", "note " + i, returned ? "1" : "0"));
    }
    return String.join("\n", lines) + "\n";
  }

  /** One JSON array of iris-shaped measurements, one every 6 hours, species drawn around their centres. */
  private static String measurements(int from, int to, long seed) {
    Random random = new Random(seed);
    List<String> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      int species = random.nextInt(3);
      double[] m = new double[4];
      for (int k = 0; k < 4; k++) {
        m[k] = Math.round(Math.max(0.1, CENTRES[species][k] + 0.3 * random.nextGaussian()) * 100) / 100.0;
      }
      rows.add(String.format(Locale.ROOT, "  {\"sample_id\": \"S%04d\", \"measured\": \"%s\", \"sepal length\": %.2f, "
          + "\"sepal width\": %.2f, \"petal length\": %.2f, \"petal width\": %.2f, \"species\": \"%s\"}", i,
          LocalDateTime.of(2024, 3, 1, 0, 0).plusHours(6L * i) + ":00", m[0], m[1], m[2], m[3], SPECIES[species]));
    }
    return "[\n" + String.join(",\n", rows) + "\n]\n";
  }

  /** A Parquet file houses/NAME.parquet of house sales, one a day: area, rooms and district set the price. */
  private Path houses(String name, int from, int to) throws IOException {
    Random random = new Random(from + 7);
    List<String> districts = List.of("north", "south", "centre", "harbour");
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      double area = 30 + random.nextInt(150);
      int rooms = 1 + (int) (area / 35) + random.nextInt(2);
      int district = random.nextInt(4);
      double price = 2500 * area + 8000 * rooms + 40000 * district + 20000 * random.nextGaussian();
      rows.add(RowFactory.create((long) 1000 + i, Timestamp.valueOf(LocalDateTime.of(2023, 6, 1, 10, 0).plusDays(i)),
          area, rooms, districts.get(district), Math.round(price) / 1.0));
    }
    StructType schema = new StructType().add("house_id", DataTypes.LongType).add("listed_at", DataTypes.TimestampType)
        .add("area", DataTypes.DoubleType).add("rooms", DataTypes.IntegerType).add("district", DataTypes.StringType)
        .add("price", DataTypes.DoubleType);
    Path written = dir.resolve("spark-" + name);
    spark().createDataFrame(rows, schema).coalesce(1).write().parquet(written.toString());
    Path part;
    try (var files = Files.list(written)) {
      part = files.filter(p -> p.getFileName().toString().matches("part-.*\\.parquet")).findFirst().orElseThrow();
    }
    Path file = dir.resolve("houses/" + name + ".parquet");
    Files.createDirectories(file.getParent());
    return Files.move(part, file);
  }

  private Path write(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
    return path;
  }
}
