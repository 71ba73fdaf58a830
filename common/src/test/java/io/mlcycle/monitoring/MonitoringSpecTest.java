package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.metrics.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** pipeline.monitoring is read whole and every bad value exits 2 naming its key. */
class MonitoringSpecTest {
  private static MonitoringSpec spec(String... sets) {
    return spec(Task.BINARY, sets);
  }

  private static MonitoringSpec spec(Task task, String... sets) {
    return MonitoringSpec.from(ConfigLoader.load(ConfigRequest.defaults().withSets(sets)).config(), task);
  }

  private static void rejected(String key, String why, String... sets) {
    MlcycleException e = assertThrows(MlcycleException.class, () -> spec(sets));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith("Cannot use config key '" + key + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  /** Each task's floors and ceilings are its realised metrics; another task's metric exits 2 naming the key. */
  @Test
  void performanceLimitsAreTheTasksOwnMetrics() {
    MonitoringSpec multiclass = spec(Task.MULTICLASS, "pipeline.monitoring.performance.floor.macroF1=0.8",
        "pipeline.monitoring.performance.floor.weightedF1=0.8", "pipeline.monitoring.performance.ceiling.logLoss=0.9");
    assertEquals(Map.of("macroF1", 0.8, "weightedF1", 0.8), multiclass.floors());
    MonitoringSpec regression = spec(Task.REGRESSION, "pipeline.monitoring.performance.ceiling.rmse=2",
        "pipeline.monitoring.performance.ceiling.mae=1.5", "pipeline.monitoring.performance.floor.r2=0.5");
    assertEquals(Map.of("rmse", 2.0, "mae", 1.5), regression.ceilings());
    MlcycleException auc = assertThrows(MlcycleException.class,
        () -> spec(Task.REGRESSION, "pipeline.monitoring.performance.floor.areaUnderROC=0.6"));
    assertEquals(ExitCode.USAGE, auc.exitCode());
    assertTrue(auc.getMessage().contains("'pipeline.monitoring.performance.floor.areaUnderROC'")
        && auc.getMessage().contains("not a metric of task regression") && auc.getMessage().contains("[r2]"),
        auc.getMessage());
    MlcycleException f1 = assertThrows(MlcycleException.class,
        () -> spec(Task.MULTICLASS, "pipeline.monitoring.performance.floor.f1=0.6"));
    assertTrue(f1.getMessage().contains("not a metric of task multiclass (it is one of binary)"), f1.getMessage());
  }

  /** max-worsening takes the task's realised metrics that training also holds out; each share above 0. */
  @Test
  void relativeLimitsArePositiveSharesOfTheTasksMetrics() {
    assertEquals(Map.of("rmse", 0.25, "r2", 0.1), spec(Task.REGRESSION,
        "pipeline.monitoring.performance.max-worsening.rmse=0.25",
        "pipeline.monitoring.performance.max-worsening.r2=0.1").maxWorsening());
    MlcycleException zero = assertThrows(MlcycleException.class, () -> spec(Task.REGRESSION,
        "pipeline.monitoring.performance.max-worsening.rmse=0"));
    assertEquals(ExitCode.USAGE, zero.exitCode());
    assertTrue(zero.getMessage().contains("'pipeline.monitoring.performance.max-worsening.rmse'")
        && zero.getMessage().contains("above 0"), zero.getMessage());
    MlcycleException auc = assertThrows(MlcycleException.class, () -> spec(Task.REGRESSION,
        "pipeline.monitoring.performance.max-worsening.areaUnderROC=0.1"));
    assertTrue(auc.getMessage().contains("not a metric of task regression"), auc.getMessage());
  }

  @Test
  void featuresDeclaredMonitorFalseAreTheUnmonitoredOnes() {
    assertEquals(Set.of("month"), spec("pipeline.features=[{name = hour, expr = \"hour(date)\"},"
        + " {name = month, expr = \"month(date)\", monitor = false}]").unmonitored());
    assertEquals(Set.of(), spec().unmonitored());
  }

  @Test
  void theDefaultsOfReferenceConf() {
    MonitoringSpec spec = spec();
    assertEquals(new MonitoringSpec.DriftThresholds(0.2, 0.1, 0.05, 0.25), spec.drift());
    assertEquals(2, spec.batchesOverThreshold());
    assertEquals(3, spec.window());
    assertEquals(10, spec.predictionBins());
    assertEquals(Map.of(), spec.floors());
    assertEquals(List.of(), spec.slices());
    assertEquals(Duration.ZERO, spec.maxModelAge());
    assertEquals(0, spec.minNewRows());
    assertEquals(Duration.ofDays(1), spec.cooldown());
  }

  @Test
  void floorsCeilingsSlicesAndDurationsAreRead() {
    MonitoringSpec spec = spec("pipeline.monitoring.performance.floor.areaUnderROC=0.65",
        "pipeline.monitoring.performance.ceiling.logLoss=0.6", "pipeline.monitoring.performance.slices=[origin]",
        "pipeline.monitoring.max-model-age=30d", "pipeline.monitoring.cooldown=12h",
        "pipeline.monitoring.min-new-rows=50000");
    assertEquals(Map.of("areaUnderROC", 0.65), spec.floors());
    assertEquals(Map.of("logLoss", 0.6), spec.ceilings());
    assertEquals(List.of("origin"), spec.slices());
    assertEquals(Duration.ofDays(30), spec.maxModelAge());
    assertEquals(Duration.ofHours(12), spec.cooldown());
    assertEquals(50_000, spec.minNewRows());
  }

  @Test
  void badValuesExitTwoNamingTheKey() {
    rejected("pipeline.monitoring.drift.batches-over-threshold", "more than drift.window",
        "pipeline.monitoring.drift.batches-over-threshold=4");
    rejected("pipeline.monitoring.drift.psi-threshold", "positive", "pipeline.monitoring.drift.psi-threshold=0");
    rejected("pipeline.monitoring.drift.share-threshold", "at most 1", "pipeline.monitoring.drift.share-threshold=1.5");
    rejected("pipeline.monitoring.drift.window", "at least 1", "pipeline.monitoring.drift.window=0");
    rejected("pipeline.monitoring.performance.floor.logLoss", "use one of [accuracy, areaUnderROC]",
        "pipeline.monitoring.performance.floor.logLoss=0.5");
    rejected("pipeline.monitoring.performance.ceiling.logLoss", "expected a number",
        "pipeline.monitoring.performance.ceiling.logLoss=low");
    rejected("pipeline.monitoring.cooldown", "without a unit", "pipeline.monitoring.cooldown=5");
    rejected("pipeline.monitoring.cooldown", "not a duration", "pipeline.monitoring.cooldown=soon");
    rejected("pipeline.monitoring.max-model-age", "negative", "pipeline.monitoring.max-model-age=-1d");
    rejected("pipeline.monitoring.min-new-rows", "0 (off)", "pipeline.monitoring.min-new-rows=-5");
  }

  @Test
  void aMistypedKeyIsUnknownWithTheNearestSuggested() {
    MlcycleException e = assertThrows(MlcycleException.class, () -> spec("pipeline.monitoring.drift.psi-treshold=0.1"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("Did you mean 'pipeline.monitoring.drift.psi-threshold'?"), e.getMessage());
  }
}
