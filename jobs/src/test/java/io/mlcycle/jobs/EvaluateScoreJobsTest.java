package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.features.FlightsFixture;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.pipeline.PipelineSettings;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.BatchScorer;
import io.mlcycle.scoring.ModelArms;
import io.mlcycle.scoring.PredictionsTable;
import io.mlcycle.scoring.Promotion;
import io.mlcycle.scoring.ScoringSpec;
import io.mlcycle.testing.LostCommit;
import io.mlcycle.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate → registry → promote / rollback → score, as an orchestrator runs them, on real flights
 * (January and February 2001 to train, March to score). The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluateScoreJobsTest {
  /** Training chooses each model's threshold on its business value (as flights.conf says, made explicit). */
  private static final String OPTIMISED_THRESHOLD = "pipeline.evaluate.optimise-threshold=true";

  @TempDir
  static Path lake;
  private static Storage storage;
  private static BundledFlights flights;

  private static SparkSession spark() {
    return TestSpark.session();
  }

  /** A bundled month as validate would have written it to silver. */
  private static void appendMonth(String month) {
    Dataset<Row> rows = spark().read().option("header", "true").option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
        .schema("flight_id string, date timestamp, delay int, distance int, origin string, destination string")
        .csv(BundledFlights.month(month).toString())
        .na().drop().dropDuplicates("flight_id")
        .withColumn("_batch_id", functions.lit(month))
        .withColumn("_source_file", functions.lit(month + ".csv"));
    rows.write().format("delta").mode("append").save(storage.silver("flights"));
  }

  private static JobRun run(String job, String... more) {
    return flights.run(job, more);
  }

  private static JobRun succeeded(String job, String... more) {
    return flights.succeeded(job, more);
  }

  @BeforeAll
  static void trainedOnJanuaryAndFebruary() {
    storage = Storage.at(lake.toString());
    flights = new BundledFlights(lake, OPTIMISED_THRESHOLD);
    appendMonth("2001-01");
    appendMonth("2001-02");
    succeeded("features");
    succeeded("train", "--run-id", "r1");
  }

  private static List<Row> sql(String query) {
    return spark().sql(query).collectAsList();
  }

  private static ModelRegistry registry() {
    return new ModelRegistry(spark(), storage);
  }

  private static long version(String table) {
    return DeltaTables.version(spark(), storage.system(table));
  }

  @Test
  @Order(1)
  void scoringWithoutAChampionExits2SayingWhatToRun() {
    JobRun score = run("score");
    assertEquals(2, score.code(), score.out());
    assertTrue(score.err().contains("no champion") && score.err().contains("evaluate")
        && score.err().contains("promote"), score.err());
  }

  @Test
  @Order(2)
  void theFirstPassingModelBecomesChampionAndARetryChangesNothing() throws IOException {
    JobRun evaluate = succeeded("evaluate");
    String out = evaluate.out();
    assertTrue(out.contains("Gates (enforce)") && out.contains("Decision: go") && out.contains("slice-min"), out);
    assertTrue(out.contains("Smoke test") && out.contains("Champion -> version 1"), out);
    JsonNode counts = evaluate.summary().get("counts");
    assertEquals("r1", counts.get("candidate_run").asText());
    assertEquals(1, counts.get("model_version").asInt());
    assertTrue(counts.get("areaUnderROC").asDouble() > 0.6, counts.toString());
    double threshold = counts.get("threshold").asDouble();
    assertTrue(threshold > 0.05 && threshold < 0.5, "the business values (a missed delay costs more than a false"
        + " alarm) pull the threshold chosen on the validation folds below 0.5: " + threshold);
    assertEquals(threshold, spark().read().format("delta").load(storage.system("metrics"))
        .where("run_id = 'r1' and scope = 'validation' and name = 'threshold'").first().getDouble(6), 1e-6);
    assertEquals(Map.of(ModelRegistry.CHAMPION, 1), registry().aliases("flights"));

    long models = version(ModelRegistry.MODELS);
    long aliases = version(ModelRegistry.ALIASES);
    long gates = version("gates");
    JobRun retry = succeeded("evaluate", "--run", "r1");
    assertTrue(retry.out().contains("already evaluated"), retry.out());
    assertEquals(1, retry.summary().get("counts").get("model_version").asInt());
    assertEquals(List.of(models, aliases, gates),
        List.of(version(ModelRegistry.MODELS), version(ModelRegistry.ALIASES), version("gates")),
        "a retried evaluate writes nothing");

    // Killed after its gate record, before the registration and the alias move: the same command registers
    // the version with the recorded metrics and makes it champion, as the finished run did.
    String registered = "version, run_id, model_path, evaluation_run_id, decision, lineage, metrics, manifest_sha256";
    List<Row> before = sql("SELECT " + registered + " FROM delta.`" + storage.system(ModelRegistry.MODELS) + "`");
    LostCommit.undoLatest(storage.system(ModelRegistry.ALIASES));
    LostCommit.undoLatest(storage.system(ModelRegistry.MODELS));
    JobRun resumed = succeeded("evaluate", "--run", "r1");
    assertTrue(resumed.out().contains("Champion -> version 1"), resumed.out());
    assertEquals(before, sql("SELECT " + registered + " FROM delta.`" + storage.system(ModelRegistry.MODELS) + "`"));
    assertEquals(List.of(models, aliases), List.of(version(ModelRegistry.MODELS), version(ModelRegistry.ALIASES)),
        "one commit each, as the killed run owed");
    assertEquals(Map.of(ModelRegistry.CHAMPION, 1), registry().aliases("flights"));

    JobRun promote = run("promote", "--version", "9");
    assertEquals(2, promote.code());
    assertTrue(promote.err().contains("no such version") && promote.err().contains("[1]"), promote.err());
    JobRun rollback = run("rollback");
    assertEquals(2, rollback.code());
    assertTrue(rollback.err().contains("no previous champion"), rollback.err());
  }

  @Test
  @Order(3)
  void aFailingCandidateIsRegisteredButMovesNoAliasAndExits4() throws IOException {
    succeeded("train", "--run-id", "r2");
    JobRun evaluate = run("evaluate", "--run", "r2", "--set", "pipeline.evaluate.gates.min.areaUnderROC=0.99");
    assertEquals(4, evaluate.code(), evaluate.out());
    assertEquals("model_gate_failed", evaluate.summary().get("status").asText());
    assertTrue(evaluate.err().contains("min areaUnderROC"), evaluate.err());
    assertTrue(evaluate.out().contains("difference [95% CI]") && evaluate.out().contains("champion version 1"),
        evaluate.out());
    ModelRegistry.Version registered = registry().version("flights", 2).orElseThrow();
    assertEquals("r2", registered.runId());
    assertEquals("no-go", registered.decision());
    assertEquals(Map.of(ModelRegistry.CHAMPION, 1), registry().aliases("flights"));
  }

  @Test
  @Order(4)
  void aPassingCandidateBecomesChallengerAndGetsAStableCanaryShare() throws IOException {
    succeeded("train", "--run-id", "r3");
    JobRun evaluate = succeeded("evaluate", "--run", "r3");
    assertTrue(evaluate.out().contains("Challenger -> version 3"), evaluate.out());
    assertEquals(Map.of(ModelRegistry.CHAMPION, 1, ModelRegistry.CHALLENGER, 3), registry().aliases("flights"));

    appendMonth("2001-03");
    JobRun score = succeeded("score");
    JsonNode summary = score.summary();
    assertEquals("2001-03", summary.get("counts").get("batch").asText());
    long rows = summary.get("counts").get("rows").asLong();
    Dataset<Row> predictions = spark().read().format("delta").load(storage.path("predictions/flights"));
    assertEquals(rows, predictions.count());
    Map<String, Long> byArm = predictions.groupBy("role", "model_version").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0) + " v" + r.getInt(1), r -> r.getLong(2)));
    assertEquals(2, byArm.size(), byArm.toString());
    double canary = byArm.get("challenger v3") / (double) rows;
    assertTrue(canary > 0.07 && canary < 0.13, "about a tenth of the flights go to the challenger: " + byArm);
    assertTrue(score.out().contains("challenger") && score.out().contains("champion"), score.out());

    long written = DeltaTables.version(spark(), storage.path("predictions/flights"));
    JobRun again = succeeded("score", "--batch", "2001-03");
    assertEquals("nothing_to_do", again.summary().get("status").asText());
    assertEquals(written, DeltaTables.version(spark(), storage.path("predictions/flights")));

    Map<String, String> stored = roles(predictions);
    assertEquals(stored, roles(rescore("2001-03")), "the same flight lands in the same arm on every run");
  }

  /** The pipeline's settings as the jobs of this class read them. */
  private static PipelineSettings pipeline() {
    return PipelineSettings.of(ConfigLoader.load(new ConfigRequest(Optional.empty(),
        Optional.of(FlightsFixture.pipelineFile().toString()), List.of("mlcycle.storage.root=" + lake,
            "pipeline.reference-tables.airports.path=" + BundledFlights.airports(), OPTIMISED_THRESHOLD))))
        .orElseThrow();
  }

  /** The March batch scored again through the library, with another run id and time. */
  private static Dataset<Row> rescore(String batch) {
    PipelineSettings pipeline = pipeline();
    Dataset<Row> silver = spark().read().format("delta").load(storage.silver("flights"));
    BatchScorer.Arm champion = ModelArms.load(spark(), storage, "flights",
        registry().version("flights", 1).orElseThrow(), BatchScorer.CHAMPION, pipeline.evaluation());
    BatchScorer.Arm challenger = ModelArms.load(spark(), storage, "flights",
        registry().version("flights", 3).orElseThrow(), BatchScorer.CHALLENGER, pipeline.evaluation());
    return new BatchScorer(spark(), pipeline.storedDefinitions()).score(silver.where(functions.col("_batch_id").equalTo(batch)),
        silver.where(functions.col("_batch_id").notEqual(batch)), champion, Optional.of(challenger),
        pipeline.scoring(), List.of("flight_id"), Optional.of("date"), "silver/flights", "another-run",
        Timestamp.from(Instant.now()));
  }

  private static Map<String, String> roles(Dataset<Row> predictions) {
    return predictions.select("flight_id", "role").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1)));
  }

  @Test
  @Order(5)
  void shadowModeScoresEveryRowWithBothModels() throws IOException {
    JobRun shadow = succeeded("score", "--batch", "2001-02", "--set", "pipeline.scoring.mode=shadow");
    Dataset<Row> predictions = spark().read().format("delta").load(storage.path("predictions/flights"))
        .where("_batch_id = '2001-02'");
    long champion = predictions.where("role = 'champion' and model_version = 1").count();
    assertEquals(champion, predictions.where("role = 'shadow' and model_version = 3").count());
    assertEquals(2 * champion, shadow.summary().get("counts").get("rows").asLong());
  }

  @Test
  @Order(6)
  void evaluateScoreAndTheSmokeTestDecideAtTheThresholdTrainingChose() {
    PipelineSettings pipeline = pipeline();
    assertTrue(pipeline.evaluation().optimiseThreshold() && pipeline.evaluation().business().configured());
    Promotion promotion = new Promotion(new StageRuntime(spark(), storage, Clock.systemUTC(), "test",
        "threshold-check"), pipeline.scoringSetup());
    Dataset<Row> march = new PredictionsTable(spark(), storage, "flights").batch("2001-03");
    for (int number : List.of(1, 3)) {
      ModelRegistry.Version version = registry().version("flights", number).orElseThrow();
      double evaluated = spark().read().format("delta").load(storage.system("metrics"))
          .where(functions.col("run_id").equalTo(version.evaluationRunId())
              .and(functions.col("scope").equalTo("evaluation")).and(functions.col("name").equalTo("threshold")))
          .select("value").first().getDouble(0);
      assertNotEquals(pipeline.evaluation().threshold(), evaluated, "version " + number + " decides at the"
          + " threshold its training chose, not the configured default");

      BatchScorer.Arm arm = ModelArms.load(spark(), storage, "flights", version, BatchScorer.CHAMPION,
          pipeline.evaluation());
      assertEquals(evaluated, arm.threshold(), 0, "version " + number + ": the scorer's threshold");

      Dataset<Row> decided = march.where(functions.col("model_version").equalTo(number));
      long positive = decided.where(functions.col("prediction").equalTo(1.0)).count();
      assertTrue(positive > 0 && positive < decided.count(), "version " + number + " predicts both classes");
      assertEquals(0, decided.where(functions.col("prediction").equalTo(1.0)
              .notEqual(functions.col("probability").geq(evaluated))).count(),
          "version " + number + ": prediction = 1 exactly when probability >= " + evaluated);

      assertEquals(evaluated, promotion.smokeTest(number).outcome().threshold(), 0,
          "version " + number + ": the smoke test's threshold");
    }
  }

  @Test
  @Order(7)
  void promoteAndRollbackAreSingleCommitsWithAReason() {
    long before = version(ModelRegistry.ALIASES);
    JobRun promote = succeeded("promote", "--version", "3", "--reason", "better on March");
    assertTrue(promote.out().contains("Smoke test"), promote.out());
    assertEquals(Map.of(ModelRegistry.CHAMPION, 3), registry().aliases("flights"), "the challenger alias is cleared");
    assertEquals(before + 1, version(ModelRegistry.ALIASES), "champion and challenger moved in one commit");

    succeeded("rollback", "--reason", "alert on April");
    assertEquals(Map.of(ModelRegistry.CHAMPION, 1), registry().aliases("flights"));
    ModelRegistry.AliasMove last = registry().history("flights").get(registry().history("flights").size() - 1);
    assertEquals(3, last.previousVersion());
    assertTrue(last.reason().contains("rollback from version 3") && last.reason().contains("alert on April"));

    JobRun models = succeeded("models", "--history");
    assertTrue(models.out().contains("better on March") && models.out().contains("no-go"), models.out());
  }

  @Test
  @Order(8)
  void aVersionTrainedWithTwoCoresIsRebuiltBitForBitWithOneFromItsLineageAlone() throws Exception {
    JobRun oneCore = flights.runInOwnJvm("local[1]", "reproduce", "--model", "flights:1", "--run-id", "repro-local1");

    assertEquals(0, oneCore.code(), oneCore.err());
    assertEquals(1, oneCore.summary().get("counts").get("identical").asInt(), oneCore.out());
    Row verdict = spark().read().format("delta").load(storage.system("reproductions"))
        .where("reproduced_by = 'repro-local1'").first();
    assertEquals(List.of(1, "r1", "identical"), List.of(verdict.getAs("version"), verdict.getAs("run_id"),
        verdict.getAs("verdict")), "trained with local[2], rebuilt with local[1]");
    List<Row> items = verdict.getList(verdict.fieldIndex("items"));
    assertEquals(List.of("feature_hash", "training_rows", "fold_fingerprint", "grid_point", "cv_metrics",
        "holdout_metrics", "threshold", "leak_check", "model_parameters"),
        items.stream().map(i -> i.<String>getAs("name")).toList());
    assertTrue(items.stream().allMatch(i -> "identical".equals(i.getAs("verdict"))), items.toString());
    assertTrue(verdict.<String>getAs("feature_rows").startsWith("features/flights version "), verdict.toString());

    JobRun unknown = run("reproduce", "--model", "flights:7");
    assertEquals(2, unknown.code(), unknown.out());
    assertTrue(unknown.err().contains("no such version") && unknown.err().contains("[1, 2, 3]"), unknown.err());
    JobRun none = run("reproduce");
    assertEquals(2, none.code(), none.out());
    assertTrue(none.err().contains("--model NAME:VERSION, --run ID or --all"), none.err());
  }

  @Test
  @Order(9)
  void aModelWhoseFeatureVersionIsGoneIsRebuiltFromSilverAndAModelWithoutTheRecordIsRefusedNamingWhatIsMissing()
      throws IOException {
    long before = version("reproductions");
    java.util.List<String> files = spark().read().format("delta").load(storage.features("flights"))
        .select(functions.input_file_name()).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    Path features = Path.of(java.net.URI.create(storage.features("flights")));
    Path moved = lake.resolve("features-files");
    Files.createDirectories(moved);
    for (String file : files) {
      Path from = Path.of(java.net.URI.create(file));
      Files.move(from, moved.resolve(features.relativize(from).toString().replace('/', '_')));
    }
    try {
      JobRun reproduce = succeeded("reproduce", "--model", "flights:1");
      assertTrue(reproduce.out().contains("identical") && reproduce.out().contains("computed again"), reproduce.out());
      assertEquals(before + 1, version("reproductions"));
    } finally {
      for (String file : files) {
        Path to = Path.of(java.net.URI.create(file));
        Files.move(moved.resolve(features.relativize(to).toString().replace('/', '_')), to);
      }
    }
    spark().sql("DELETE FROM delta.`" + storage.system("lineage") + "` WHERE run_id = 'r2' AND kind = 'config'");
    JobRun old = run("reproduce", "--model", "flights:2");
    assertEquals(2, old.code(), old.out());
    assertTrue(old.err().contains("lacks [config.pipeline]") && old.err().contains("train it again"), old.err());
    assertEquals(before + 1, version("reproductions"), "a refused reproduction records no verdict");
  }

  @Test
  @Order(10)
  void aModelChangedOnDiskIsRefusedNamingTheFileAndBlocksItsPromotion() throws IOException {
    Path model = Path.of(java.net.URI.create(storage.model("flights", "r3")));
    Path file;
    try (Stream<Path> files = Files.walk(model.resolve("sparkml"))) {
      file = files.filter(p -> p.toString().contains("metadata") && p.getFileName().toString().startsWith("part-"))
          .findFirst().orElseThrow();
    }
    Files.writeString(file, " ", StandardOpenOption.APPEND);
    JobRun promote = run("promote", "--version", "3");
    assertEquals(1, promote.code(), promote.out());
    assertTrue(promote.err().contains(file.getFileName().toString()) && promote.err().contains("SHA-256")
        && promote.err().contains("changed after the model was written"), promote.err());
    assertEquals(Map.of(ModelRegistry.CHAMPION, 1), registry().aliases("flights"));
  }

  @Test
  @Order(11)
  void anInputBatchWithoutARequiredColumnExits2NamingIt() {
    Path input = lake.resolve("incoming");
    spark().read().format("delta").load(storage.silver("flights")).where("_batch_id = '2001-03'").drop("distance")
        .write().parquet(input.toString());
    JobRun score = run("score", "--input", input.toString(), "--batch", "external-1");
    assertEquals(2, score.code(), score.out());
    assertTrue(score.err().contains("distance") && score.err().contains("log_distance"), score.err());
  }

  @Test
  @Order(12)
  void monitoringABatchWhoseFeaturesAndLabelsAreNotInYetRecomputesItsFeaturesAndWaitsForLabels() {
    JobRun monitor = succeeded("monitor", "--batch", "2001-03");
    assertTrue(monitor.out().contains("Drift of batch 2001-03") && monitor.out().contains("no labels yet"),
        monitor.out());
    Dataset<Row> drift = spark().read().format("delta").load(storage.system("drift"))
        .where("batch_id = '2001-03' and model_version = 1 and feature = 'month'");
    assertEquals(1, drift.count());
    assertTrue(drift.first().<Long>getAs("rows") > 10_000, "every champion row of March, features recomputed");
  }
}
