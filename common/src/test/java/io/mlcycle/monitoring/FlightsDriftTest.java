package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.features.FlightsFixture;
import io.mlcycle.io.Storage;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.testing.SparkTest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Drift on the bundled real flights: the features of January to March are the reference. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlightsDriftTest extends SparkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final MonitoringSpec.DriftThresholds THRESHOLDS = new MonitoringSpec.DriftThresholds(0.2, 0.1, 0.05, 0.25);

  @TempDir
  static Path root;

  private Dataset<Row> features;
  private BatchDrift drift;

  @BeforeAll
  void referenceFromJanuaryToMarchThenMay() {
    Storage storage = Storage.at(root.toString());
    String silver = storage.silver("flights");
    String airports = "pipeline.reference-tables.airports.path=" + FlightsFixture.bundled("data/airports.csv");
    FlightsFixture.bundledMonths(spark(), "2001-01", "2001-02", "2001-03").write().format("delta").save(silver);
    new FeatureTableUpdate(spark(), storage, FlightsFixture.spec(root, airports), "features-1", CLOCK).run();
    FlightsFixture.bundledMonths(spark(), "2001-05").write().format("delta").mode("append").save(silver);
    new FeatureTableUpdate(spark(), storage, FlightsFixture.spec(root, airports), "features-2", CLOCK).run();
    features = spark().read().format("delta").load(storage.features("flights"));
    drift = new BatchDrift(BatchDrift.featureReference(spark(), storage, "flights", 1, "flights", 1), Optional.empty(),
        THRESHOLDS, Set.of());
  }

  private Dataset<Row> batches(String... batches) {
    return features.where(functions.col("_batch_id").isin((Object[]) batches));
  }

  /**
   * May against January–March: the month is outside every reference value (PSI far above 0.2, KS and JS
   * at their maximum of 1), and the past week's delays at the origin moved from winter to spring; the
   * route, the airports and the hour of day barely move, but do move.
   */
  @Test
  void aLaterMonthDriftsOnTheCalendarAndTheOriginsRecentDelays() {
    DriftReport may = drift.measure(batches("2001-05"));
    Map<String, FeatureDrift> byFeature = may.features().stream()
        .collect(Collectors.toMap(FeatureDrift::feature, f -> f));
    assertEquals(15_000, may.rows());
    assertEquals(16, may.features().size());
    FeatureDrift month = byFeature.get("month");
    assertTrue(month.drifted() && month.psi() > 10, month.toString());
    assertEquals(1.0, month.ks(), 1e-12);
    assertEquals(1.0, month.js(), 1e-12);
    assertEquals(0.0, month.chi2PValue(), 1e-12);
    assertTrue(byFeature.get("origin_delayed_share_7d").drifted());
    assertTrue(byFeature.get("origin_flights_7d").psi() > 0.01, byFeature.get("origin_flights_7d").toString());
    for (String steady : List.of("hour", "origin", "destination", "log_distance", "origin_state")) {
      FeatureDrift f = byFeature.get(steady);
      assertTrue(!f.drifted() && f.psi() > 0 && f.psi() < 0.01, f.toString());
    }
    assertEquals(List.of("month", "origin_delayed_share_7d"),
        may.features().stream().filter(FeatureDrift::drifted).map(FeatureDrift::feature).sorted().toList());
    assertEquals(2.0 / 16, may.share(), 1e-12);
    assertTrue(may.alert().isEmpty(), "2 of 16 is under the share threshold 0.25");
  }

  /** The rows the reference was frozen from, binned again here, give the reference exactly. */
  @Test
  void theReferenceWindowAgainstItsOwnBinsDoesNotDrift() {
    DriftReport reference = drift.measure(batches("2001-01", "2001-02", "2001-03"));
    assertEquals(45_000, reference.rows());
    for (FeatureDrift f : reference.features()) {
      assertEquals(0.0, f.psi(), 1e-12, f.feature());
      assertEquals(0.0, f.js(), 1e-12, f.feature());
      assertEquals(1.0, f.chi2PValue(), 1e-9, f.feature());
      if (f.kind().equals("numeric")) {
        assertEquals(0.0, f.ks(), 1e-12, f.feature());
      }
    }
    assertEquals(0, reference.drifted());
  }

  /** Every feature's histogram of a 15,000-row month comes from one Spark job over every row. */
  @Test
  void measuringABatchIsOneSparkJob() {
    Dataset<Row> may = batches("2001-05").cache();
    try {
      may.count();
      try (SparkJobCounter jobs = SparkJobCounter.start(spark())) {
        drift.measure(may);
        assertEquals(1, jobs.jobs());
      }
    } finally {
      may.unpersist();
    }
  }
}
