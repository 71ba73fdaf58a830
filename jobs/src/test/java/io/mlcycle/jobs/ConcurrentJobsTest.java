package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.io.Storage;
import io.mlcycle.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs started together, each in a JVM of its own as two orchestrator tasks would be: two ingests creating a
 * new root's tables, two scorers of one batch, two monitors of one batch. Both of each pair exit 0 and
 * every row is written once: the first writer commits, the other retries and finds the work done.
 */
class ConcurrentJobsTest {
  @TempDir
  Path lake;

  @Test
  void pairsOfJobsStartedTogetherBothSucceedAndWriteEveryRowOnce() throws Exception {
    BundledFlights flights = new BundledFlights(lake, BundledFlights.shippedRules());
    Storage storage = Storage.at(lake.toString());
    together(flights, List.of("ingest", "--input", BundledFlights.month("2001-01").toString()),
        List.of("ingest", "--input", BundledFlights.month("2001-02").toString()));
    assertEquals(List.of("2001-01", "2001-02"), batches(storage.bronze("flights")));
    assertEquals(0, duplicates(table(storage.bronze("flights")), "_batch_id", "_source_file", "flight_id"));

    flights.succeeded("validate");
    flights.succeeded("features");
    flights.succeeded("train", "--run-id", "r1");
    flights.succeeded("evaluate", "--run", "r1");
    flights.succeeded("ingest", "--input", BundledFlights.month("2001-03").toString());
    flights.succeeded("validate");

    together(flights, List.of("score", "--batch", "2001-03"), List.of("score", "--batch", "2001-03"));
    Dataset<Row> predictions = table(storage.path("predictions/flights"));
    assertEquals(table(storage.silver("flights")).where("_batch_id = '2001-03'").count(), predictions.count(),
        "one prediction per row of the batch");
    assertEquals(0, duplicates(predictions, "flight_id"));

    flights.succeeded("features");
    together(flights, List.of("monitor", "--batch", "2001-03"), List.of("monitor", "--batch", "2001-03"));
    Dataset<Row> drift = table(storage.system("drift"));
    assertEquals(drift.select("feature").distinct().count(), drift.count(), "each feature's drift once");
    Dataset<Row> performance = table(storage.system("performance"));
    assertEquals(performance.dropDuplicates("model_version", "role", "batch_id", "slice", "metric").count(),
        performance.count(), "realised performance once");
  }

  /** Starts both commands at once, each in its own JVM, and waits for both to exit 0. */
  private static void together(BundledFlights flights, List<String> first, List<String> second) throws Exception {
    CompletableFuture<JobRun> one = CompletableFuture.supplyAsync(() -> inOwnJvm(flights, first));
    CompletableFuture<JobRun> two = CompletableFuture.supplyAsync(() -> inOwnJvm(flights, second));
    for (JobRun run : List.of(one.get(), two.get())) {
      assertEquals(0, run.code(), run.err() + run.out());
    }
  }

  private static JobRun inOwnJvm(BundledFlights flights, List<String> command) {
    try {
      return flights.runInOwnJvm("local[1]", command.get(0),
          command.subList(1, command.size()).toArray(String[]::new));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static SparkSession spark() {
    return TestSpark.session();
  }

  private static Dataset<Row> table(String path) {
    return spark().read().format("delta").load(path);
  }

  private static List<String> batches(String path) {
    return table(path).select("_batch_id").distinct().orderBy("_batch_id").collectAsList().stream()
        .map(row -> row.getString(0)).toList();
  }

  private static long duplicates(Dataset<Row> rows, String... key) {
    return rows.count() - rows.dropDuplicates(key).count();
  }
}
