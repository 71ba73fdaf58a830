package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.testing.SparkTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitoring tables are written exactly once per key: a rerun of the same step changes nothing. */
class MonitoringTablesTest extends SparkTest {
  private static final Instant T1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-03-02T00:00:00Z");
  private static final MonitoringSpec.DriftThresholds THRESHOLDS = new MonitoringSpec.DriftThresholds(0.2, 0.1, 0.05, 0.5);

  private Storage storage;

  @BeforeEach
  void storage() {
    storage = Storage.at(tempDir.toString());
  }

  private static DriftReport report(boolean firstDrifted) {
    return new DriftReport(List.of(
        new FeatureDrift("hour", "numeric", firstDrifted ? 0.3 : 0.01, 0.05, 12.0, 0.01, 0.02, firstDrifted, 100),
        new FeatureDrift("origin", "categorical", 0.01, Double.NaN, 3.0, 0.5, 0.001, false, 100)),
        Optional.of(new FeatureDrift("probability", "prediction", 0.02, 0.03, 4.0, 0.4, 0.003, false, 100)),
        100, THRESHOLDS, Set.of());
  }

  private long rows(String table) {
    return spark().read().format("delta").load(storage.system(table)).count();
  }

  @Test
  void driftIsWrittenOncePerModelVersionAndBatch() {
    String path = storage.system(DriftTable.TABLE);
    long first = DriftTable.write(spark(), storage, "flights", 1, "2001-05", report(true), "run-1", T1);
    long rerun = DriftTable.write(spark(), storage, "flights", 1, "2001-05", report(true), "run-2", T2);
    assertEquals(first, rerun);
    assertEquals(first, DeltaTables.version(spark(), path));
    assertEquals(3, rows(DriftTable.TABLE));
    assertTrue(DriftTable.recorded(spark(), storage, "flights", 1, "2001-05"));
    assertFalse(DriftTable.recorded(spark(), storage, "flights", 2, "2001-05"));
    Row origin = sql("SELECT ks, js FROM delta.`%s` WHERE feature = 'origin'", path).get(0);
    assertTrue(origin.isNullAt(0), "KS of a categorical feature is null, not NaN");
    DriftTable.write(spark(), storage, "flights", 1, "2001-06", report(false), "run-3", T2);
    List<DriftTable.BatchShare> history = DriftTable.history(spark(), storage, "flights", 1, Set.of());
    assertEquals(List.of(new DriftTable.BatchShare("2001-05", 2, 1, T1), new DriftTable.BatchShare("2001-06", 2, 0, T2)),
        history);
    // hour declared monitor = false: the trigger's history counts origin only.
    assertEquals(List.of(new DriftTable.BatchShare("2001-05", 1, 0, T1), new DriftTable.BatchShare("2001-06", 1, 0, T2)),
        DriftTable.history(spark(), storage, "flights", 1, Set.of("hour")));
  }

  private static Map<String, Double> binary(double auc, double logLoss, double brier, double accuracy,
                                            double positiveRate) {
    return Map.of("areaUnderROC", auc, "logLoss", logLoss, "brier", brier, "accuracy", accuracy, "positive_rate",
        positiveRate);
  }

  @Test
  void performanceIsWrittenOncePerModelAndLabelBatch() {
    RealisedPerformance.Report report = new RealisedPerformance.Report(List.of(
        new RealisedPerformance.VersionPerformance(1, "champion", 10, 8, binary(0.7, 0.55, 0.2, 0.75, 0.3), 6, 6.5),
        new RealisedPerformance.VersionPerformance(2, "challenger", 2, 2, binary(Double.NaN, 0.4, 0.1, 1.0, 1.0), 1,
            1)),
        3, List.of(new RealisedPerformance.SliceError(1, "champion", "origin", "ORD", 5, "logLoss", 0.9, 0.4)));
    long first = PerformanceTable.write(spark(), storage, "flights", "2001-06", report, "run-1", T1);
    assertEquals(first, PerformanceTable.write(spark(), storage, "flights", "2001-06", report, "run-2", T2));
    String path = storage.system(PerformanceTable.TABLE);
    assertEquals(3.0, sql("SELECT value FROM delta.`%s` WHERE metric = 'unmatched_labels'", path).get(0).getDouble(0));
    assertEquals(0, sql("SELECT * FROM delta.`%s` WHERE model_version = 2 AND metric = 'areaUnderROC'", path).size(),
        "an undefined metric is left out");
    assertEquals(2, sql("SELECT * FROM delta.`%s` WHERE slice = 'origin=ORD'", path).size());
    assertEquals(0.7, PerformanceTable.latest(spark(), storage, "flights", 1, "champion").get("areaUnderROC"));
    assertEquals(report.worstSlices(), PerformanceTable.latestWorstSlices(spark(), storage, "flights"));
    RealisedPerformance.Report later = new RealisedPerformance.Report(List.of(
        new RealisedPerformance.VersionPerformance(1, "champion", 20, 18, binary(0.6, 0.6, 0.2, 0.7, 0.3), 5, 5)), 0,
        List.of());
    PerformanceTable.write(spark(), storage, "flights", "2001-07", later, "run-3", T2);
    assertEquals(0.6, PerformanceTable.latest(spark(), storage, "flights", 1, "champion").get("areaUnderROC"));
  }

  @Test
  void aDecisionIsRecordedOnceAndLinkedToTheModelItTriggered() {
    RetrainDecision retrain = new RetrainDecision(true, RetrainDecision.RETRAIN, "drift", "drift in 2 of 3");
    long first = DecisionsTable.record(spark(), storage, "flights", retrain, "retrain-1", T1);
    assertEquals(first, DecisionsTable.record(spark(), storage, "flights", retrain, "retrain-1", T2));
    DecisionsTable.record(spark(), storage, "flights",
        new RetrainDecision(false, RetrainDecision.KEEP, RetrainDecision.NO_TRIGGER, "no trigger fired"), "retrain-2", T2);
    assertEquals(Optional.of(T1), DecisionsTable.lastTriggered(spark(), storage, "flights"));
    DecisionsTable.linkModel(spark(), storage, "flights", "retrain-1", 4);
    DecisionsTable.linkModel(spark(), storage, "flights", "retrain-1", 4);
    String path = storage.system(DecisionsTable.TABLE);
    List<Row> rows = sql("SELECT run_id, new_model_version FROM delta.`%s` ORDER BY run_id", path);
    assertEquals(List.of(row("retrain-1", 4), row("retrain-2", null)), rows);
  }
}
