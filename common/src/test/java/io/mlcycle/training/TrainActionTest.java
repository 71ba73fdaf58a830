package io.mlcycle.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.MlcycleException;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.testing.LostCommit;
import io.mlcycle.testing.SparkTest;
import io.mlcycle.testing.TestSpark;
import io.mlcycle.tracking.TrackingTables;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The train action called as a library: its result, its recorded lineage, and its rerun. */
class TrainActionTest extends SparkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2001-05-01T00:00:00Z"), ZoneOffset.UTC);
  private Storage storage;
  private final TrainingSpec spec = TrainingSpec.from(TestSpark.settings(
      "pipeline.name=flights",
      "pipeline.entity-key=[flight_id]",
      "pipeline.model.numeric=[hour, log_distance]",
      "pipeline.model.categorical=[origin]",
      "pipeline.model.grid.reg-param=[0.1, 0.01]",
      "pipeline.model.min-train-rows=100").config());

  /** 2,000 flights-like feature rows, one in ten without a label yet; the label follows a known model. */
  @BeforeEach
  void featureTable() {
    storage = Storage.at(tempDir.resolve("root").toString());
    spark().range(0, 2000).selectExpr(
        "concat('F', cast(id as string)) as flight_id",
        "cast(pmod(hash(id, 1), 24) as double) as hour",
        "(pmod(hash(id, 2), 1000) / 100.0) as log_distance",
        "concat('A', cast(pmod(hash(id, 3), 12) as string)) as origin",
        "pmod(hash(id, 4), 1000) / 1000.0 as u",
        "id % 10 = 0 as unlabelled")
        .selectExpr("*", "case when unlabelled then null else cast(u < 1 / (1 + exp(-(0.15 * hour - 2))) as int) end"
            + " as label")
        .drop("u", "unlabelled")
        .write().format("delta").save(storage.features("flights"));
  }

  private TrainAction action(String runId) {
    return new TrainAction(new StageRuntime(spark(), storage, CLOCK, "tester", runId), spec, "flights",
        new RecordedConfig("cafe", "{}"),
        Optional.of((tp, fp, fn) -> tp - fp - 2 * fn));
  }

  @Test
  void trainsEveryGridPointOnTheLabelledRowsAndRecordsItsLineage() {
    TrainResult result = action("r1").execute(Optional.empty());

    TrainResult.Run run = result.run().orElseThrow();
    assertEquals(0, result.featuresVersion());
    assertEquals(storage.model("flights", "r1"), result.modelPath());
    assertEquals(1800, run.trained().trainRows() + run.trained().testRows());
    assertEquals(2, run.trained().grid().size());
    assertEquals(List.of(spec.folds(), spec.folds()),
        run.trained().grid().stream().map(p -> p.foldMetrics().length).toList());
    assertTrue(run.trained().holdout().get("areaUnderROC") > 0.6, run.trained().holdout().toString());
    assertTrue(run.threshold().orElseThrow() > 0 && run.threshold().orElseThrow() < 1);
    assertTrue(run.sparkJobs() > 0);
    Lineage recorded = Lineage.read(new TrackingTables(spark(), storage), "flights", "r1", "flights").orElseThrow();
    assertEquals(run.lineage(), recorded);
    assertEquals(new Lineage.Split(spec.splitMethod(), spec.testFraction(), spec.folds(), spec.seed(),
        List.of("flight_id"), 8), recorded.split());
    assertEquals("cafe", recorded.configHash());
  }

  @Test
  void aRerunOfATrainedRunHasNothingToDoAndWritesNothing() {
    TrainResult first = action("r1").execute(Optional.of(0L));
    TrainResult again = action("r1").execute(Optional.of(0L));

    assertTrue(again.nothingToDo());
    assertEquals("run r1 already trained " + first.modelPath(), again.why());
    assertEquals(first.run().orElseThrow().written().params(),
        DeltaTables.version(spark(), storage.system(TrackingTables.PARAMS)));
  }

  @Test
  void aRunKilledAfterSavingItsModelRecordsItsTrackingRowsFromTheManifestWhenRunAgain() throws Exception {
    TrainResult first = action("r1").execute(Optional.of(0L));
    List<String> tables = List.of(TrackingTables.PARAMS, TrackingTables.METRICS, TrackingTables.LINEAGE);
    List<List<org.apache.spark.sql.Row>> recorded = tables.stream().map(this::rows).toList();
    java.nio.file.Path manifest = java.nio.file.Path.of(java.net.URI.create(first.modelPath() + "/manifest.json"));
    String written = java.nio.file.Files.readString(manifest);
    tables.forEach(t -> LostCommit.undoLatest(storage.system(t)));

    TrainResult again = action("r1").execute(Optional.of(0L));

    assertTrue(again.completed().isPresent() && again.run().isEmpty(), "completed from the manifest, not retrained");
    assertEquals(recorded, tables.stream().map(this::rows).toList(), "the rows the killed run owed, once");
    assertEquals(written, java.nio.file.Files.readString(manifest), "the model is untouched");
    assertTrue(action("r1").execute(Optional.of(0L)).nothingToDo(), "complete now");
  }

  private List<org.apache.spark.sql.Row> rows(String table) {
    return sql("SELECT * FROM delta.`%s`", storage.system(table)).stream()
        .sorted(java.util.Comparator.comparing(org.apache.spark.sql.Row::toString)).toList();
  }

  /**
   * What {@code local[1]} and {@code local[2]} change for training: how the input rows are split into
   * partitions and the order tasks finish in. Neither may change a bit of what the run records or learns.
   */
  @Test
  void theSameRowsInOtherPartitionsTrainTheSameModelBitForBit() {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table = spark().read().format("delta")
        .load(storage.features("flights"));
    TrainAction.Computed one = action("r1").compute(table.coalesce(1), 0);
    TrainAction.Computed five = action("r1").compute(table.repartition(5), 0);

    assertEquals(one.record(), five.record(), "params, every fold and holdout metric, lineage");
    assertEquals(weights(one), weights(five));
    assertEquals(one.threshold(), five.threshold());
  }

  private static String weights(TrainAction.Computed computed) {
    org.apache.spark.ml.Transformer last = computed.trained().model().stages()[computed.trained().model().stages().length - 1];
    org.apache.spark.ml.classification.LogisticRegressionModel model =
        (org.apache.spark.ml.classification.LogisticRegressionModel) last;
    return java.util.Arrays.toString(model.coefficients().toArray()) + " " + model.intercept();
  }

  @Test
  void aFeaturesVersionTheTableDoesNotHaveIsRefusedNamingItsVersions() {
    MlcycleException e = assertThrows(MlcycleException.class, () -> action("r1").execute(Optional.of(3L)));

    assertTrue(e.getMessage().contains("Cannot train on version 3 of " + storage.features("flights")
        + ": its versions are 0..0"), e.getMessage());
  }
}
