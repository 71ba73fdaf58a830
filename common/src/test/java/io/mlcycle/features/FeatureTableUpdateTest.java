package io.mlcycle.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.config.Settings;
import io.mlcycle.features.FlightsFixture.Flight;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.testing.SparkTest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * The feature table is versioned and incremental: the first run builds feature version 1; a rerun
 * changes nothing; a new silver batch is appended alone, its windows reaching back into earlier
 * batches; a changed definition recomputes the table as version 2 and records why. Scoring, through
 * the same pipeline rebuilt from the stored feature version, gives the table's rows exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeatureTableUpdateTest extends SparkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** The storage root every test of this class shares (the inherited tempDir is per test). */
  @TempDir
  static Path root;

  private Storage storage;
  private String silverPath;
  private List<Flight> january;
  private List<Flight> firstBatch;
  private List<Flight> secondBatch;
  private FeatureTableUpdate.Outcome built;
  private FeatureTableUpdate.Outcome rerun;
  private FeatureTableUpdate.Outcome appended;
  private FeatureTableUpdate.Outcome rerunAfterAppend;
  private long versionAfterBuild;

  /** Silver gets batch b1, features run twice; silver gets b2, features run twice: what every test reads. */
  @BeforeAll
  void twoBatchesTwoRunsEach() {
    storage = Storage.at(root.toString());
    silverPath = storage.silver("flights");
    january = FlightsFixture.flights(11, 300, 20);
    Instant split = FlightsFixture.START.plus(Duration.ofDays(12));
    firstBatch = january.stream().filter(f -> f.time().isBefore(split)).toList();
    secondBatch = january.stream().filter(f -> !f.time().isBefore(split)).map(f -> f.inBatch("b2")).toList();
    FlightsFixture.appendSilver(spark(), silverPath, firstBatch);
    built = update("run-1");
    versionAfterBuild = DeltaTables.version(spark(), storage.features("flights"));
    rerun = update("run-2");
    FlightsFixture.appendSilver(spark(), silverPath, secondBatch);
    appended = update("run-3");
    rerunAfterAppend = update("run-4");
  }

  private FeatureTableUpdate.Outcome update(String runId, String... sets) {
    return new FeatureTableUpdate(spark(), storage, FlightsFixture.spec(root, sets), runId, CLOCK).run();
  }

  private Dataset<Row> table() {
    return spark().read().format("delta").load(storage.features("flights"));
  }

  private static Map<String, Row> byId(Dataset<Row> rows) {
    return rows.collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
  }

  @Test
  @Order(1)
  void buildsOnceThenAppendsOnlyNewBatchesAndRerunsChangeNothing() {
    assertEquals("built", built.action());
    assertEquals(1, built.version().version());
    assertEquals(firstBatch.size(), built.rows());
    assertEquals(List.of("b1"), built.batches());
    assertEquals("first version", built.version().reason());
    assertEquals(0L, built.version().silverVersion());

    assertEquals("up_to_date", rerun.action());
    assertEquals(versionAfterBuild, rerun.featuresVersion(), "a rerun must not commit");

    assertEquals("appended", appended.action());
    assertEquals(List.of("b2"), appended.batches());
    assertEquals(secondBatch.size(), appended.rows());
    assertEquals(versionAfterBuild + 1, appended.featuresVersion());
    assertEquals(List.of(row(1L)), table().where("_batch_id = 'b2'").select("_silver_version").distinct().collectAsList());
    assertEquals(List.of(row(0L)), table().where("_batch_id = 'b1'").select("_silver_version").distinct().collectAsList());

    assertEquals("up_to_date", rerunAfterAppend.action());
    assertEquals(appended.featuresVersion(), rerunAfterAppend.featuresVersion());
    assertEquals(january.size(), table().count());
    assertEquals(1, spark().read().format("delta").load(storage.system(FeatureVersions.TABLE)).count());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aChangedDefinitionRecomputesTheTableAsANewVersion() {
    FeatureTableUpdate.Outcome rebuilt = update("run-5", "pipeline.label.known-after=3h");
    assertEquals("rebuilt", rebuilt.action());
    assertEquals(2, rebuilt.version().version());
    assertEquals(built.version().hash(), rebuilt.version().previousHash().orElseThrow());
    assertTrue(rebuilt.version().reason().startsWith("definition changed from version 1"), rebuilt.version().reason());
    assertEquals(List.of("b1", "b2"), rebuilt.batches());
    assertEquals(january.size(), table().count());
    assertEquals(List.of(row(2, rebuilt.version().hash())),
        table().select("_feature_version", "_feature_hash").distinct().collectAsList());
    assertEquals(2, spark().read().format("delta").load(storage.system(FeatureVersions.TABLE)).count());
    assertEquals(List.of(row(1L), row(2L)), spark().read().format("delta").load(storage.system(ReferenceProfile.TABLE))
        .select("feature_version").distinct().orderBy("feature_version").collectAsList().stream()
        .map(r -> row((long) r.getInt(0))).toList());
  }

  @Test
  @Order(2)
  void anAppendedBatchSeesEarlierBatchesAsAFullRecomputeWould() {

    List<Flight> all = new ArrayList<>(firstBatch);
    all.addAll(secondBatch);
    FeaturePipeline full = FeaturePipeline.create(spark(), FlightsFixture.spec(root), FlightsFixture.SILVER,
        "silver/flights", latest().folding());
    Dataset<Row> everything = FlightsFixture.rows(spark(), all);
    Map<String, Row> recomputed = byId(full.transform(everything, everything.limit(0)));
    Map<String, Row> incremental = byId(table().where("_batch_id = 'b2'").drop(
        FeatureTableUpdate.FEATURE_HASH, FeatureTableUpdate.FEATURE_VERSION, FeatureTableUpdate.SILVER_VERSION));
    assertEquals(secondBatch.size(), incremental.size());
    long reachingBack = 0;
    for (Map.Entry<String, Row> entry : incremental.entrySet()) {
      assertEquals(recomputed.get(entry.getKey()), entry.getValue());
      reachingBack += entry.getValue().<Double>getAs("origin_flights_7d") > 0 ? 1 : 0;
    }
    assertTrue(reachingBack > 0);
  }

  @Test
  @Order(3)
  void scoringThroughTheStoredFeatureVersionGivesTheTableRows() {

    FeatureVersion version = FeatureVersions.withHash(spark(), storage, "flights", built.version().hash()).orElseThrow();
    Settings settings = FlightsFixture.settings(root);
    Dataset<Row> silver = spark().read().format("delta").load(silverPath);
    FeaturePipeline scoring = FeaturePipeline.create(spark(), new StoredDefinitions(settings.config()).of(version), silver.schema(),
        "silver/flights", version.folding());

    List<Row> served = sorted(scoring.transformBatches(silver, List.of("b2")));
    List<Row> servedWithAllHistory = sorted(scoring.transform(silver.where("_batch_id = 'b2'"),
        silver.where("_batch_id <> 'b2'")));
    List<Row> trained = sorted(table().where("_batch_id = 'b2'").drop(
        FeatureTableUpdate.FEATURE_HASH, FeatureTableUpdate.FEATURE_VERSION, FeatureTableUpdate.SILVER_VERSION));
    assertEquals(secondBatch.size(), trained.size());
    assertEquals(trained, served);
    assertEquals(trained, servedWithAllHistory);
  }

  @Test
  @Order(4)
  void unseenCategoriesAtScoringBecomeOther() {
    FeatureVersion version = latest();
    assertTrue(version.folding().kept().get("origin").containsAll(List.of("ATL", "ORD", "DFW", "LAX")));

    Flight unseen = new Flight("NEW1", FlightsFixture.START.plus(Duration.ofDays(13)), 3, 700, "SEA", "ATL", "b3");
    Dataset<Row> batch = FlightsFixture.rows(spark(), List.of(unseen));
    FeaturePipeline scoring = FeaturePipeline.create(spark(), FlightsFixture.spec(root), FlightsFixture.SILVER,
        "silver/flights", version.folding());
    Row row = scoring.transform(batch, spark().read().format("delta").load(silverPath)).first();
    assertEquals("other", row.getAs("origin"));
    assertEquals("other", row.getAs("origin_state"), "a failed lookup is a null category: other");
    assertEquals("GA", row.getAs("destination_state"));
    assertEquals(0.0, row.<Double>getAs("origin_flights_7d"), "no SEA history: the count's default");
  }

  @Test
  @Order(5)
  void theReferenceProfileBinsTheTrainingWindowWithFrozenEdges() {
    Dataset<Row> reference = spark().read().format("delta").load(storage.system(ReferenceProfile.TABLE))
        .where("feature_version = 1");
    long rows = firstBatch.size();
    Dataset<Row> trainingWindow = table().where("_batch_id = 'b1'");

    List<Row> totals = reference.groupBy("feature", "kind").agg(functions.sum("count"), functions.sum("share"))
        .collectAsList();
    assertEquals(FlightsFixture.spec(root).features().size(), totals.size());
    for (Row total : totals) {
      assertEquals(rows, total.getLong(2), total.toString());
      assertEquals(1.0, total.getDouble(3), 1e-9, total.toString());
    }
    List<Row> origin = reference.where("feature = 'origin'").orderBy("bin").collectAsList();
    assertEquals("other", origin.get(origin.size() - 1).getAs("category"));

    Map<String, double[]> edges = ReferenceProfile.edges(spark(), storage, "flights", built.version().version());
    double[] hour = edges.get("hour");
    assertTrue(hour.length >= 5, "ten quantile bins of the hour: " + java.util.Arrays.toString(hour));
    for (int i = 1; i < hour.length; i++) {
      assertTrue(hour[i - 1] < hour[i]);
    }
    List<Row> rebinned = trainingWindow.groupBy(ReferenceProfile.bin(functions.col("hour"), hour).as("bin")).count()
        .orderBy("bin").collectAsList();
    List<Row> stored = reference.where("feature = 'hour' and count > 0").orderBy("bin").select("bin", "count")
        .collectAsList();
    assertEquals(stored, rebinned, "drift bins new data with the stored edges and must get the stored histogram");
  }

  private FeatureVersion latest() {
    return FeatureVersions.latest(spark(), storage, "flights").orElseThrow();
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    List<Row> list = new ArrayList<>(rows.collectAsList());
    list.sort(Comparator.comparing(r -> r.getString(0)));
    return list;
  }
}
