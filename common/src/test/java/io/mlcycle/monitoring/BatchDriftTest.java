package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.io.Storage;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.testing.SparkTest;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Binning a batch into the frozen reference bins, on a frame small enough to count by hand. */
class BatchDriftTest extends SparkTest {
  private static final MonitoringSpec.DriftThresholds THRESHOLDS = new MonitoringSpec.DriftThresholds(0.2, 0.1, 0.05, 0.5);
  /** x: edges 1 and 2, slots null, (-inf,1], (1,2], (2,inf) with reference counts 0 5 3 2. */
  private static final ReferenceBins X = new ReferenceBins("x", ReferenceBins.Kind.NUMERIC, new double[] {1, 2},
      List.of(), new long[] {0, 5, 3, 2});
  /** c: categories a and b, then other, with reference counts 6 3 1. */
  private static final ReferenceBins C = new ReferenceBins("c", ReferenceBins.Kind.CATEGORICAL, new double[0],
      List.of("a", "b"), new long[] {6, 3, 1});
  /** probability: two equal-width bins, slots null, [0,.5], (.5,1] with reference counts 0 3 1. */
  private static final ReferenceBins P = ReferenceBins.prediction("probability", 2, new long[] {0, 3, 1});

  private Dataset<Row> batch() {
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add("c", DataTypes.StringType)
        .add("probability", DataTypes.DoubleType);
    return spark().createDataFrame(List.of(
        row(null, "a", 0.1), row(0.5, "b", 0.2), row(1.0, "b", 0.6),
        row(1.5, "z", 0.7), row(2.5, null, 0.8), row(3.0, "a", 0.9)), schema);
  }

  /**
   * x falls into null 1, (-inf,1] 2 (0.5 and 1.0: upper edges are inclusive), (1,2] 1, (2,inf) 2; its PSI
   * against 0 .5 .3 .2, the empty null bin as 1e-4: (1/6 - 1e-4)·ln(1/6 / 1e-4) + (1/3 - .5)·ln(2/3)
   * + (1/6 - .3)·ln(1/6 / .3) + (1/3 - .2)·ln(5/3) = 1.235688 + .067578 + .078372 + .068110 = 1.449748.
   * Without nulls the CDFs are .5 .8 against .4 .6: KS = .2.
   * c falls into a 2, b 2, other 2 (the unseen z and the null): PSI against .6 .3 .1 is
   * (1/3-.6)·ln(1/3 / .6) + (1/3-.3)·ln(1/3 / .3) + (1/3-.1)·ln(1/3 / .1) = .441182.
   * probability falls into [0,.5] 2, (.5,1] 4: PSI against .75 .25 is (1/3-.75)·ln(1/3 / .75)
   * + (2/3-.25)·ln(2/3 / .25) = .746566; KS = .75 - 1/3 = .416667.
   */
  @Test
  void everyColumnIsBinnedLikeItsReferenceInOnePass() {
    DriftReport report = new BatchDrift(List.of(X, C), Optional.of(P), THRESHOLDS, Set.of()).measure(batch());
    assertEquals(6, report.rows());
    FeatureDrift x = report.features().get(0);
    assertEquals("x", x.feature());
    assertEquals(1.449748, x.psi(), 1e-6);
    assertEquals(0.2, x.ks(), 1e-12);
    FeatureDrift c = report.features().get(1);
    assertEquals(0.441182, c.psi(), 1e-6);
    assertTrue(Double.isNaN(c.ks()));
    FeatureDrift p = report.prediction().orElseThrow();
    assertEquals("prediction", p.kind());
    assertEquals(0.746566, p.psi(), 1e-6);
    assertEquals(0.416667, p.ks(), 1e-6);
    assertEquals(1.0, report.share());
    assertTrue(report.overThreshold());
    assertTrue(report.alert().orElseThrow().startsWith("drift alert: 2 of 2 features drifted"), report.alert().get());
  }

  /**
   * A feature declared monitor = false (a calendar month, which drifts by construction) is measured and
   * recorded like any other, but the batch's share counts only the monitored ones: with x unmonitored, 1 of
   * 1 monitored feature drifted; with both unmonitored, the batch is not over threshold at all.
   */
  @Test
  void anUnmonitoredFeatureIsMeasuredButNotCounted() {
    DriftReport report = new BatchDrift(List.of(X, C), Optional.empty(), THRESHOLDS, Set.of("x")).measure(batch());
    assertTrue(report.features().get(0).drifted(), "x is still measured and marked drifted");
    assertEquals(List.of("c"), report.monitored().stream().map(FeatureDrift::feature).toList());
    assertEquals(1, report.drifted());
    assertEquals(1.0, report.share());
    assertTrue(report.alert().orElseThrow().contains("1 of 1 features drifted"), report.alert().get());
    assertTrue(report.alert().get().contains("x (psi 1.450, not monitored)"), report.alert().get());
    DriftReport none = new BatchDrift(List.of(X, C), Optional.empty(), THRESHOLDS, Set.of("x", "c")).measure(batch());
    assertEquals(0.0, none.share());
    assertFalse(none.overThreshold());
    assertTrue(none.alert().isEmpty());
  }

  /** Drifted: PSI over its threshold, or KS for numeric, or JS for categorical. */
  @Test
  void theThresholdsDecideWhichFeaturesDrifted() {
    MonitoringSpec.DriftThresholds lenient = new MonitoringSpec.DriftThresholds(2.0, 0.5, 0.5, 0.5);
    DriftReport report = new BatchDrift(List.of(X, C), Optional.empty(), lenient, Set.of()).measure(batch());
    assertFalse(report.features().get(0).drifted());
    assertFalse(report.features().get(1).drifted());
    MonitoringSpec.DriftThresholds ksOnly = new MonitoringSpec.DriftThresholds(2.0, 0.19, 0.5, 0.5);
    assertTrue(new BatchDrift(List.of(X), Optional.empty(), ksOnly, Set.of()).measure(batch()).features().get(0).drifted());
    assertTrue(report.alert().isEmpty());
  }

  @Test
  void aBatchWithoutAReferenceColumnIsAUsageError() {
    MlcycleException e = assertThrows(MlcycleException.class, () ->
        new BatchDrift(List.of(X, C), Optional.empty(), THRESHOLDS, Set.of()).measure(batch().drop("c")));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("no column c"), e.getMessage());
  }

  @Test
  void aMissingReferenceProfileExitsTwoSayingHowToRebuildIt() {
    MlcycleException e = assertThrows(MlcycleException.class, () ->
        BatchDrift.featureReference(spark(), Storage.at(tempDir.toString()), "flights", 3, "flights", 7));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith("Cannot measure drift for model flights version 7"), e.getMessage());
    assertTrue(e.getMessage().contains("feature version 3") && e.getMessage().contains("mlcycle features"));
  }

  /** The first batch a version scored is its prediction reference, whatever order the batches are read in. */
  @Test
  void thePredictionReferenceIsTheFirstScoredBatch() {
    StructType schema = new StructType().add("_batch_id", DataTypes.StringType)
        .add("scored_at", DataTypes.TimestampType).add("probability", DataTypes.DoubleType);
    Timestamp later = Timestamp.valueOf("2026-02-01 00:00:00");
    Timestamp first = Timestamp.valueOf("2026-01-01 00:00:00");
    Dataset<Row> predictions = spark().createDataFrame(List.of(
        row("b2", later, 0.9), row("b2", later, 0.8), row("b1", first, 0.1), row("b1", first, 0.7),
        row("b1", first, 0.2), row("b1", first, null)), schema);
    ReferenceBins reference = PredictionReference.firstBatch(predictions, "probability", 2).orElseThrow();
    assertEquals(List.of(1L, 2L, 1L), java.util.Arrays.stream(reference.counts()).boxed().toList());
    assertTrue(PredictionReference.firstBatch(predictions.limit(0), "probability", 2).isEmpty());
  }
}
