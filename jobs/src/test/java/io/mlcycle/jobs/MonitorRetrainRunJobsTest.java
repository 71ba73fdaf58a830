package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.monitoring.FeatureDrift;
import io.mlcycle.monitoring.MonitorAction;
import io.mlcycle.monitoring.MonitorResult;
import io.mlcycle.pipeline.PipelineSettings;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * monitor → retrain → run → lineage through the runner, on the bundled months: a champion trained on
 * January and February, then March through the whole chain, with a failure injected mid-chain; then April,
 * scored by the retrained champion, monitored by the library's monitor action itself. Last, every table the
 * loop wrote and its models are held to their golden schemas and layout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorRetrainRunJobsTest {
  @TempDir
  static Path lake;
  private static Storage storage;
  private static BundledFlights flights;
  /**
   * The shipped delay range, tightened from 1500 to 600 minutes: one flight of February and two of March fall
   * outside, so quarantine is written too, by one rule in the shared scan.
   */
  private static final String ONE_DROP_RULE =
      "pipeline.quality.rules=[{ type = range, column = delay, min = -120, max = 600, severity = drop }]";

  /** A secret set on every job of the loop, as a user sets S3 credentials: it must appear nowhere. */
  private static final String SECRET = "planted-" + java.util.UUID.randomUUID();
  private static final String SECRET_KEY = "mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"";
  /** Everything mlcycle logs while the loop runs. */
  private static final java.io.StringWriter LOGGED = new java.io.StringWriter();

  private static SparkSession spark() {
    return TestSpark.session();
  }

  private static Path month(String month) {
    return BundledFlights.month(month);
  }

  private static JobRun run(String job, String... more) {
    return flights.run(job, more);
  }

  private static JobRun succeeded(String job, String... more) {
    return flights.succeeded(job, more);
  }

  @BeforeAll
  static void aChampionTrainedOnJanuaryAndFebruary() {
    storage = Storage.at(lake.toString());
    captureLogs();
    flights = new BundledFlights(lake, ONE_DROP_RULE, SECRET_KEY + "=" + SECRET);
    succeeded("ingest", "--input", month("2001-01").toString());
    succeeded("ingest", "--input", month("2001-02").toString());
    succeeded("validate");
    succeeded("features");
    succeeded("train", "--run-id", "r1");
    succeeded("evaluate", "--run", "r1");
  }

  private static long version(String table) {
    return DeltaTables.version(spark(), storage.system(table));
  }

  @Test
  @Order(1)
  void monitoringBeforeAnyPredictionHasNothingToDo() throws IOException {
    JobRun monitor = succeeded("monitor");
    assertEquals("nothing_to_do", monitor.summary().get("status").asText());
    assertTrue(monitor.summaryLine().contains("nothing to monitor"), monitor.summaryLine());
  }

  @Test
  @Order(2)
  void theChainResumesAfterAFailureMidwayAndFinishesOnlyTheRemainingSteps() throws IOException {
    Path file = modelFile("r1");
    byte[] original = Files.readAllBytes(file);
    Files.writeString(file, " ", StandardOpenOption.APPEND);
    JobRun failed = run("run", "--input", month("2001-03").toString());
    assertEquals(1, failed.code(), failed.out());
    assertTrue(failed.out().contains("ingest") && failed.out().contains("validate"), failed.out());
    long silver = DeltaTables.version(spark(), storage.silver("flights"));

    Files.write(file, original);
    JobRun resumed = succeeded("run", "--input", month("2001-03").toString());
    String out = resumed.out();
    assertTrue(out.matches("(?s).*ingest +skipped.*"), out);
    assertTrue(out.matches("(?s).*validate +skipped.*"), out);
    for (String step : List.of("score", "features", "monitor", "retrain")) {
      assertTrue(out.matches("(?s).*\\n" + step + " +ran.*"), step + " ran:\n" + out);
    }
    assertEquals(silver, DeltaTables.version(spark(), storage.silver("flights")), "validate did not run again");
    assertTrue(out.contains("Drift of batch 2001-03") && out.contains("Realised performance of batch 2001-03"), out);
    List<Row> drift = spark().read().format("delta").load(storage.system("drift"))
        .where("batch_id = '2001-03' and feature = 'month'").collectAsList();
    assertEquals(1, drift.size());
    assertTrue(drift.get(0).<Boolean>getAs("drifted"), "March is outside January and February's months");
    assertTrue(spark().read().format("delta").load(storage.system("performance"))
        .where("batch_id = '2001-03' and role = 'champion' and metric = 'areaUnderROC'").count() == 1);
    assertEquals(1, spark().read().format("delta").load(storage.system("decisions")).count());
  }

  private static Path modelFile(String run) throws IOException {
    Path model = Path.of(java.net.URI.create(storage.model("flights", run)));
    try (Stream<Path> files = Files.walk(model.resolve("sparkml"))) {
      return files.filter(p -> p.toString().contains("metadata") && p.getFileName().toString().startsWith("part-"))
          .findFirst().orElseThrow();
    }
  }

  @Test
  @Order(3)
  void monitoringTheSameBatchAgainWritesNothing() throws IOException {
    long drift = version("drift");
    long performance = version("performance");
    JobRun again = succeeded("monitor", "--batch", "2001-03");
    assertTrue(again.out().contains("already recorded"), again.out());
    assertEquals(List.of(drift, performance), List.of(version("drift"), version("performance")));
  }

  @Test
  @Order(4)
  void aTriggeredRetrainTrainsEvaluatesPromotesAndLinksTheNewModelToItsDecision() throws IOException {
    JobRun retrain = succeeded("retrain", "--set", "pipeline.monitoring.min-new-rows=1000",
        "--set", "pipeline.monitoring.cooldown=0s", "--set", "pipeline.monitoring.retrain-to=champion");
    assertEquals("retrain", retrain.summary().get("counts").get("decision").asText(), retrain.out());
    assertTrue(retrain.out().contains("new rows since training"), retrain.out());
    assertEquals(2, retrain.summary().get("counts").get("new_model_version").asInt());
    assertEquals(Map.of(ModelRegistry.CHAMPION, 2), new ModelRegistry(spark(), storage).aliases("flights"));
    Row decision = spark().read().format("delta").load(storage.system("decisions"))
        .where("decision = 'retrain' and trigger = 'volume'").first();
    assertEquals(2, decision.<Integer>getAs("new_model_version"));

    JobRun lineage = succeeded("lineage", "--model", "flights:2");
    String out = lineage.out();
    for (String link : List.of("2001-01.csv", "bronze v", "silver v", "feature version", "training run",
        "evaluation", "model version 2", "made by the retrain decision")) {
      assertTrue(out.contains(link), link + " in:\n" + out);
    }
    JobRun first = succeeded("lineage", "--model", "flights:1");
    assertTrue(first.out().contains("2001-03: ") && first.out().contains("as champion"), first.out());
    assertEquals(2, run("lineage", "--model", "flights:9").code());
  }

  @Test
  @Order(5)
  void theMonitorActionMeasuresANewBatchForTheRetrainedChampionOnce() {
    succeeded("ingest", "--input", month("2001-04").toString());
    succeeded("validate");
    succeeded("score", "--batch", "2001-04");
    succeeded("features");
    PipelineSettings pipeline = flights.pipeline();
    MonitorAction monitor = new MonitorAction(new StageRuntime(spark(), storage, Clock.systemUTC(), "test",
        "monitor-2001-04"), pipeline.monitoring(), pipeline.training(), pipeline.storedDefinitions(), pipeline.name());

    MonitorResult april = monitor.execute(Optional.of("2001-04"));
    assertEquals(Optional.of("2001-04"), april.batchId());
    assertTrue(april.measured(), april.nothingToDo().orElse(""));
    MonitorResult.VersionDrift drift = april.drift().get(0);
    assertEquals(List.of(2), april.drift().stream().map(MonitorResult.VersionDrift::version).toList());
    assertEquals("champion", drift.role());
    assertEquals(Optional.of(version("drift")), drift.driftTableVersion());
    FeatureDrift month = drift.report().orElseThrow().features().stream().filter(f -> f.feature().equals("month"))
        .findFirst().orElseThrow();
    assertTrue(month.drifted(), "April is outside the months version 2 was trained on");
    assertEquals(drift.report().orElseThrow().share(), april.driftShare());
    assertEquals(MonitorResult.Labels.MEASURED, april.performance().labels());
    assertEquals(Optional.of(version("performance")), april.performance().performanceTableVersion());
    assertEquals(Set.of("champion v2"), april.aucByRole().keySet());
    double auc = april.aucByRole().get("champion v2");
    assertTrue(auc > 0.5 && auc <= 1, "realised AUC " + auc);
    assertTrue(april.health().stream().anyMatch(h -> h.job().equals("score")), april.health().toString());

    MonitorResult latest = monitor.execute(Optional.empty());
    assertEquals(Optional.of("2001-04"), latest.batchId(), "the latest scored batch by default");
    assertTrue(latest.drift().get(0).alreadyRecorded());
    assertTrue(Double.isNaN(latest.driftShare()), "a rerun measures no drift");
    assertEquals(drift.driftTableVersion().orElseThrow(), version("drift"));
  }

  @Test
  @Order(6)
  void everyTableTheLoopWroteAndItsModelsKeepTheirGoldenSchemas() {
    GoldenSchemas golden = GoldenSchemas.checkedIn();
    assertAll(() -> golden.assertTables(spark(), lake, "flights"),
        () -> golden.assertModel(Path.of(java.net.URI.create(storage.model("flights", "r1")))));
  }

  /** Adds an appender of every log event (mlcycle's at info, everyone else's at warn) to the root logger. */
  private static void captureLogs() {
    org.apache.logging.log4j.core.LoggerContext context =
        (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    org.apache.logging.log4j.core.Appender appender = org.apache.logging.log4j.core.appender.WriterAppender
        .createAppender(org.apache.logging.log4j.core.layout.PatternLayout.newBuilder().withPattern("%m %ex%n").build(),
            null, LOGGED, "secret-scan", false, true);
    appender.start();
    context.getConfiguration().getRootLogger().addAppender(appender, null, null);
    context.updateLoggers();
  }

  /**
   * The secret the loop's every job was given, and the failure paths a user meets with it (a missing input,
   * an unknown key, a value that does not parse, an unexpected failure), leave it nowhere: not in stdout,
   * stderr or the summary of any run, not in the log, not in a row of any table under the root, and not in
   * any file of the model folders.
   */
  @Test
  @Order(7)
  void aSecretGivenToEveryJobAppearsInNoOutputLogTableOrFile() throws IOException {
    assertEquals(2, run("ingest", "--input", lake.resolve("no-such.csv").toString()).code());
    assertEquals(2, run("train", "--set", "mlcycle.storage.s3.secret-key=" + SECRET).code());
    assertEquals(0, run("train", "--run-id", "r1", "--set", SECRET_KEY + "=[" + SECRET + "{").code());
    assertEquals(1, run("doctor", "--set", "mlcycle.storage.root=nosuchfs://bucket/x").code());
    List<JobRun> runs = flights.runs();
    assertTrue(runs.size() > 20, "the loop's runs and the failures: " + runs.size());
    for (JobRun r : runs) {
      assertTrue(!r.out().contains(SECRET) && !r.err().contains(SECRET), "a run printed the secret: " + r);
    }
    assertTrue(!LOGGED.toString().isEmpty() && !LOGGED.toString().contains(SECRET), "the log has the secret");
    List<Path> tables;
    try (Stream<Path> logs = Files.walk(lake)) {
      tables = logs.filter(p -> p.getFileName().toString().equals("_delta_log")).map(Path::getParent).toList();
    }
    assertTrue(tables.size() >= 15, "every table of the loop: " + tables);
    for (Path table : tables) {
      assertEquals(0, spark().read().format("delta").load(table.toString()).toJSON()
          .filter((org.apache.spark.api.java.function.FilterFunction<String>) row -> row.contains(SECRET)).count(),
          "a row of " + table + " holds the secret");
    }
    try (Stream<Path> files = Files.walk(lake)) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")
          || f.toString().endsWith(".crc") || f.getFileName().toString().startsWith("part-")
          && !f.toString().endsWith(".parquet")).toList()) {
        assertTrue(!Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(SECRET),
            file + " holds the secret");
      }
    }
  }
}
