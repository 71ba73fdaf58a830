package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The retrain decision: drift in 2 of the last 3 batches with the latest among them (a batch drifts when a
 * quarter of its features do), AUC floor .65, log-loss ceiling .6, age 30 days, 10,000 new rows, one day
 * of cooldown.
 */
class RetrainTriggersTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final RetrainTriggers TRIGGERS = new RetrainTriggers(new MonitoringSpec(
      new MonitoringSpec.DriftThresholds(0.2, 0.1, 0.05, 0.25), 2, 3, 10, Map.of("areaUnderROC", 0.65),
      Map.of("logLoss", 0.6), Map.of(), List.of(), 5, 50, Duration.ofDays(30), 10_000, Duration.ofDays(1), "champion",
      Set.of()));

  /** Batches of 8 features, oldest first, with this many drifted each (2 of 8 is the threshold). */
  private static List<DriftTable.BatchShare> drifted(int... counts) {
    List<DriftTable.BatchShare> batches = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      batches.add(new DriftTable.BatchShare("b" + i, 8, counts[i], NOW.minus(Duration.ofDays(counts.length - i))));
    }
    return batches;
  }

  private static RetrainDecision decide(List<DriftTable.BatchShare> drift) {
    return decide(drift, Map.of(), Optional.empty());
  }

  private static RetrainDecision decide(List<DriftTable.BatchShare> drift, Map<String, Double> realised,
                                        Optional<Instant> lastRetrain) {
    return TRIGGERS.decide(new RetrainTriggers.History(drift, realised, Map.of(),
        Optional.of(NOW.minus(Duration.ofDays(3))), 100, lastRetrain, NOW));
  }

  @Test
  void driftInNOfTheLastMBatchesRetrains() {
    RetrainDecision decision = decide(drifted(0, 2, 3));
    assertTrue(decision.triggered());
    assertEquals("retrain", decision.decision());
    assertEquals("drift", decision.trigger());
    assertTrue(decision.reason().contains("drift over threshold in 2 of the last 3 batches"), decision.reason());
    assertTrue(decide(drifted(3, 3)).triggered(), "2 of the 2 batches so far is enough");
  }

  @Test
  void driftThatHasPassedDoesNotRetrain() {
    RetrainDecision passed = decide(drifted(3, 3, 1));
    assertFalse(passed.triggered());
    assertEquals("keep", passed.decision());
    assertEquals("none", passed.trigger());
    assertTrue(passed.reason().startsWith("no trigger fired: "), passed.reason());
    assertTrue(passed.reason().contains("drift over threshold in 2 of the last 3"), passed.reason());
    assertTrue(passed.reason().contains("model age 3d (max 30d)"), passed.reason());
    assertFalse(decide(drifted(3, 3, 0, 0, 2)).triggered(), "older drift is outside the window of 3");
    assertFalse(decide(drifted(1, 1, 4)).triggered(), "one batch of 3 is not 2");
  }

  @Test
  void aRetrainWithinTheCooldownIsRecordedNotActedOn() {
    RetrainDecision cooling = decide(drifted(2, 2, 2), Map.of(), Optional.of(NOW.minus(Duration.ofHours(2))));
    assertFalse(cooling.triggered());
    assertEquals("cooldown", cooling.decision());
    assertEquals("drift", cooling.trigger());
    assertTrue(cooling.reason().contains("in cooldown until 2026-06-02T10:00:00Z (last retrain 2026-06-01T10:00:00Z, cooldown 1d)"),
        cooling.reason());
    assertTrue(decide(drifted(2, 2, 2), Map.of(), Optional.of(NOW.minus(Duration.ofHours(25)))).triggered());
  }

  @Test
  void realisedPerformanceBelowTheFloorOrAboveTheCeilingRetrains() {
    RetrainDecision low = decide(drifted(0), Map.of("areaUnderROC", 0.61, "logLoss", 0.5), Optional.empty());
    assertTrue(low.triggered());
    assertEquals("performance", low.trigger());
    assertTrue(low.reason().contains("realised areaUnderROC 0.6100 below floor 0.6500"), low.reason());
    assertEquals("performance", decide(drifted(0), Map.of("areaUnderROC", 0.7, "logLoss", 0.65), Optional.empty()).trigger());
    assertFalse(decide(drifted(0), Map.of("areaUnderROC", 0.65, "logLoss", 0.6), Optional.empty()).triggered());
  }

  @Test
  void performanceIsNamedFirstWhenSeveralTriggersFire() {
    RetrainDecision both = decide(drifted(2, 2), Map.of("areaUnderROC", 0.5), Optional.empty());
    assertEquals("performance", both.trigger());
    assertTrue(both.reason().contains("below floor") && both.reason().contains("drift over threshold"), both.reason());
  }

  @Test
  void anOldModelOrEnoughNewRowsRetrains() {
    RetrainDecision old = TRIGGERS.decide(new RetrainTriggers.History(drifted(0), Map.of(), Map.of(),
        Optional.of(NOW.minus(Duration.ofDays(30))), 0, Optional.empty(), NOW));
    assertEquals("age", old.trigger());
    RetrainDecision young = TRIGGERS.decide(new RetrainTriggers.History(drifted(0), Map.of(), Map.of(),
        Optional.of(NOW.minus(Duration.ofDays(29))), 9_999, Optional.empty(), NOW));
    assertFalse(young.triggered());
    RetrainDecision volume = TRIGGERS.decide(new RetrainTriggers.History(drifted(0), Map.of(), Map.of(),
        Optional.of(NOW.minus(Duration.ofDays(29))), 10_000, Optional.empty(), NOW));
    assertEquals("volume", volume.trigger());
    assertTrue(volume.reason().contains("10000 new rows since training (min 10000)"), volume.reason());
  }

  /**
   * A relative limit: regression RMSE may be at most 25% above the champion's held-out RMSE, R² at most 10%
   * below its held-out R². 1.30 against 1.00 is 30% worse and fires; 1.20 is quiet; no held-out value is quiet
   * and says so.
   */
  @Test
  void aRealisedMetricWorseThanHeldOutByMoreThanItsShareRetrains() {
    RetrainTriggers relative = new RetrainTriggers(new MonitoringSpec(
        new MonitoringSpec.DriftThresholds(0.2, 0.1, 0.05, 0.25), 2, 3, 10, Map.of(), Map.of(),
        Map.of("rmse", 0.25, "r2", 0.1), List.of(), 5, 50, Duration.ZERO, 0, Duration.ofDays(1), "champion",
        Set.of()));
    Map<String, Double> heldOut = Map.of("rmse", 1.0, "r2", 0.8);
    RetrainDecision worse = relative.decide(new RetrainTriggers.History(List.of(), Map.of("rmse", 1.3, "r2", 0.75),
        heldOut, Optional.empty(), 0, Optional.empty(), NOW));
    assertTrue(worse.triggered());
    assertEquals("performance", worse.trigger());
    assertTrue(worse.reason().contains("realised rmse 1.3000 is 30.0% worse than held out at training (1.0000; max "
        + "worsening 25.0%)"), worse.reason());
    assertFalse(worse.reason().contains("realised r2"), "r2 6.3% worse is within its 10%: " + worse.reason());
    RetrainDecision within = relative.decide(new RetrainTriggers.History(List.of(), Map.of("rmse", 1.2, "r2", 0.9),
        heldOut, Optional.empty(), 0, Optional.empty(), NOW));
    assertFalse(within.triggered(), within.reason());
    assertTrue(within.reason().contains("realised r2 0.9000 is 12.5% better"), within.reason());
    RetrainDecision unknown = relative.decide(new RetrainTriggers.History(List.of(), Map.of("rmse", 9.0), Map.of(),
        Optional.empty(), 0, Optional.empty(), NOW));
    assertFalse(unknown.triggered());
    assertTrue(unknown.reason().contains("no held-out rmse of the champion's training"), unknown.reason());
  }
}
