package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.metrics.Task;
import io.mlcycle.testing.SparkTest;
import io.mlcycle.testing.TestSpark;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A triggered retrain whose run was stopped before it registered a model is owed: the next retrain run
 * resumes that decision instead of taking a new one (which the cooldown would turn into "no retrain").
 */
class RetrainCheckTest extends SparkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
  private final MonitoringSpec spec = MonitoringSpec.from(TestSpark.settings().config(), Task.BINARY);

  private RetrainCheck.Decided decide(Storage storage, String runId) {
    return new RetrainCheck(new StageRuntime(spark(), storage, CLOCK, "tester", runId), spec, "flights", "flights")
        .decide();
  }

  @Test
  void aTriggeredDecisionThatRegisteredNoModelIsResumedOnceAndOnlyUntilItIsCarriedOut() {
    Storage storage = Storage.at(tempDir.toString());
    RetrainCheck.Decided first = decide(storage, "r1");
    assertTrue(first.decision().triggered(), "no champion yet: train one");
    assertFalse(first.resumed());
    long recorded = DeltaTables.version(spark(), storage.system(DecisionsTable.TABLE));

    RetrainCheck.Decided again = decide(storage, "r2");
    assertTrue(again.resumed(), "r1 stopped before registering a model");
    assertEquals("r1", again.decisionRunId());
    assertEquals(first.decision(), again.decision());
    assertEquals(recorded, DeltaTables.version(spark(), storage.system(DecisionsTable.TABLE)), "no second decision");

    DecisionsTable.linkModel(spark(), storage, "flights", again.decisionRunId(), 1);
    RetrainCheck.Decided next = decide(storage, "r3");
    assertFalse(next.resumed(), "carried out: the next run decides afresh");
    assertEquals("r3", next.decisionRunId());
  }
}
