package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.io.Storage;
import io.mlcycle.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datasets mlcycle had never seen, each with only a pipeline file of its own, through every job: column
 * names with spaces and parentheses (an event time among them), and daily data keyed by its date-typed event
 * time. Each pipeline runs ingest → validate → features → train → evaluate → score → monitor (issue 16,
 * conditions 1, 2, 3 and 5).
 */
class UnusualDatasetsJobsTest {
  @TempDir
  Path dir;

  private static SparkSession spark() {
    return TestSpark.session();
  }

  /** Orders whose columns are named as a spreadsheet names them, the event time included. */
  private static final String ORDERS = """
      pipeline {
        name = orders
        entity-key = ["Order ID"]
        event-time = "order time"
        source { format = csv, options { timestampFormat = "yyyy-MM-dd HH:mm:ss" } }
        schema = [
          { name = "Order ID", type = string }
          { name = "order time", type = timestamp }
          { name = "Unit Price ($)", type = double }
          { name = "Store (city)", type = string }
          { name = "Qty", type = int }
          { name = "returned", type = int }
        ]
        quality.rules = [
          { type = not-null, columns = ["Order ID", "order time", "Unit Price ($)"], severity = drop }
          { type = range, column = "Unit Price ($)", min = 0, max = 1000, severity = drop }
          { type = allowed, column = "Store (city)", values = ["Paris (FR)", "Lyon", "Nice"], severity = warn }
          { type = regex, column = "Order ID", pattern = "^O[0-9]+$", severity = warn }
          { type = unique, columns = ["Order ID"], severity = drop }
          { type = sql, expression = "`Qty` >= 0", severity = drop }
          { type = max-null-fraction, column = "Store (city)", max = 0.5, severity = warn }
          { type = freshness, max-age = 36500d, severity = warn }
        ]
        quality.handling = [{ column = "Unit Price ($)", outliers = clip, min = 0, max = 500 }]
        label { column = returned_label, expr = "returned = 1" }
        features = [
          { name = price, expr = "`Unit Price ($)`" }
          { name = city, expr = "`Store (city)`", categorical = true }
          { name = city_price_3d, expr = "`Unit Price ($)`", default = 0
            window { partition-by = ["Store (city)"], lookback = 3d, function = avg } }
        ]
        model { numeric = [price, city_price_3d], categorical = [city] }
        evaluate.slices = [city]
        monitoring.performance.slices = [city]
      }
      """;

  /** Daily sales per store: the date-typed event time is part of the entity key. */
  private static final String SALES = """
      pipeline {
        name = sales
        entity-key = [store, day]
        event-time = day
        source.format = csv
        schema = [
          { name = store, type = string }
          { name = day, type = date }
          { name = sales, type = double }
          { name = promo, type = int }
        ]
        quality.rules = [
          { type = unique, columns = [store, day], severity = drop }
          { type = freshness, max-age = 36500d, severity = warn }
        ]
        label { column = high, expr = "sales > 100", known-after = 1d }
        features = [
          { name = promo_on, expr = "cast(promo as double)" }
          { name = shop, expr = "store", categorical = true }
          { name = weekday, expr = "dayofweek(day)" }
          { name = sales_7d, expr = "sales", default = 0
            window { partition-by = [store], lookback = 7d, function = avg } }
        ]
        model { numeric = [promo_on, weekday, sales_7d], categorical = [shop] }
        evaluate.slices = [shop]
      }
      """;

  @Test
  void ordersWithSpacesAndParenthesesInColumnNamesRunThroughEveryJob() throws IOException {
    Jobs jobs = new Jobs(write("orders.conf", ORDERS));
    write("raw/orders-1.csv", orders(0, 60));
    write("raw/orders-2.csv", orders(60, 80));
    lifecycle(jobs, "orders", "orders-2", 80, 20);
    assertTrue(List.of(table("silver/orders").columns()).containsAll(List.of("Order ID", "order time", "Unit Price ($)")));
    for (String created : List.of("bronze/orders", "silver/orders", "features/orders", "predictions/orders")) {
      assertEquals("name", property(created, "delta.columnMapping.mode"), created + " maps its columns by name");
    }
    assertEquals("", property("_mlcycle/runs", "delta.columnMapping.mode"), "a table of plain names does not");

    JobRun unquoted = jobs.run("features", "--set", "pipeline.features=[{ name = price, expr = \"Unit Price ($)\" }]");
    assertEquals(2, unquoted.code(), unquoted.err());
    assertTrue(unquoted.err().contains("pipeline.features[0].expr") && unquoted.err().contains("`Unit Price ($)`"),
        unquoted.err());
  }

  @Test
  void dailySalesKeyedByTheirDateRunThroughEveryJob() throws IOException {
    Jobs jobs = new Jobs(write("sales.conf", SALES));
    write("raw/sales-1.csv", sales(0, 20));
    write("raw/sales-2.csv", sales(20, 27));
    lifecycle(jobs, "sales", "sales-2", 81, 21);
    assertEquals(DataTypes.DateType, table("features/sales").schema().apply("day").dataType(),
        "the event time keeps the user's type");
    assertEquals(List.of("store", "day", "promo_on", "shop", "weekday", "sales_7d", "high"),
        List.of(table("features/sales").columns()).subList(0, 7), "the key's day is the event time, once");
    assertEquals(DataTypes.DateType, table("predictions/sales").schema().apply("day").dataType());
  }

  /**
   * Both raw files are ingested and validated as a batch each; the features of both train and evaluate the
   * first champion, which scores the second batch, which is then monitored. Scoring a batch computes its
   * windows over the earlier batch's rows, as a feature table append does.
   */
  private void lifecycle(Jobs jobs, String name, String scored, long rows, long scoredRows) throws IOException {
    jobs.succeeded("ingest", "--input", dir.resolve("raw").resolve(name + "-*.csv").toString(), "--batch-per-file");
    jobs.succeeded("validate");
    assertEquals(rows, table("silver/" + name).count());
    jobs.succeeded("features");
    assertEquals(rows, table("features/" + name).count());
    jobs.succeeded("train", "--run-id", "r1");
    JobRun evaluate = jobs.succeeded("evaluate", "--run", "r1");
    assertTrue(evaluate.out().contains("Champion -> version 1"), evaluate.out());
    JobRun score = jobs.succeeded("score", "--batch", scored);
    assertEquals(scoredRows, score.summary().get("counts").get("rows").asLong(), score.out());
    assertEquals(scoredRows, table("predictions/" + name).count());
    JobRun monitor = jobs.succeeded("monitor", "--batch", scored);
    assertEquals("succeeded", monitor.summary().get("status").asText(), monitor.out());
    assertTrue(table("_mlcycle/drift").where("batch_id = '" + scored + "'").count() > 0);
    assertTrue(table("_mlcycle/performance").where("batch_id = '" + scored + "'").count() > 0);
  }

  /** Orders every 12 hours from 2024-01-01; the label follows the price, one order in four the other way. */
  private static String orders(int from, int to) {
    List<String> lines = new ArrayList<>(List.of("Order ID,order time,Unit Price ($),Store (city),Qty,returned"));
    List<String> cities = List.of("Paris (FR)", "Lyon", "Nice");
    for (int i = from; i < to; i++) {
      LocalDateTime time = LocalDateTime.of(2024, 1, 1, 8, 0).plusHours(12L * i);
      double price = 5 + (i * 37) % 100;
      boolean returned = (price > 50) != (i % 4 == 0);
      lines.add(String.join(",", "O" + i, time.toString().replace('T', ' ') + ":00", Double.toString(price),
          cities.get(i % 3), Integer.toString(1 + i % 5), returned ? "1" : "0"));
    }
    return String.join("\n", lines) + "\n";
  }

  /** Three stores' daily sales from 2024-03-01, day {@code from} to day {@code to} (exclusive). */
  private static String sales(int from, int to) {
    List<String> lines = new ArrayList<>(List.of("store,day,sales,promo"));
    for (int d = from; d < to; d++) {
      for (int s = 0; s < 3; s++) {
        int promo = (d + s) % 3 == 0 ? 1 : 0;
        double sales = 50 + (d * 13 + s * 29) % 100 + 20 * promo;
        lines.add(String.join(",", "s" + s, LocalDate.of(2024, 3, 1).plusDays(d).toString(),
            Double.toString(sales), Integer.toString(promo)));
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private Path write(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
    return path;
  }

  private Dataset<Row> table(String path) {
    return spark().read().format("delta").load(Storage.at(dir.resolve("lake").toString()).path(path));
  }

  private String property(String path, String key) {
    String location = Storage.at(dir.resolve("lake").toString()).path(path);
    return spark().sql("SHOW TBLPROPERTIES delta.`" + location + "`").collectAsList().stream()
        .filter(r -> r.getString(0).equals(key)).map(r -> r.getString(1)).findFirst().orElse("");
  }

  /**
   * The jobs of one pipeline file against the test's storage root, with training and evaluation kept small. On
   * a few dozen rows nearly every bin of a numeric input is pure, so the leak check is off.
   */
  private final class Jobs {
    private final Path pipeline;

    Jobs(Path pipeline) {
      this.pipeline = pipeline;
    }

    JobRun run(String job, String... more) {
      List<String> args = new ArrayList<>(List.of(job, "--pipeline", pipeline.toString()));
      Map.of("mlcycle.spark.master", "local[2]",
          "mlcycle.storage.root", dir.resolve("lake").toString(),
          "pipeline.model.grid.reg-param", "[0.01]",
          "pipeline.model.folds", "2",
          "pipeline.model.min-train-rows", "10",
          "pipeline.model.leak-auc", "1.01",
          "pipeline.evaluate.bootstrap.samples", "20",
          "pipeline.scoring.mode", "champion",
          "pipeline.scoring.smoke-rows", "20",
          "pipeline.monitoring.performance.min-slice-rows", "1")
          .forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
      args.addAll(List.of(more));
      return JobRun.of(args.toArray(String[]::new));
    }

    JobRun succeeded(String job, String... more) {
      JobRun run = run(job, more);
      assertEquals(0, run.code(), job + " failed: " + run.err() + run.out());
      return run;
    }
  }
}
