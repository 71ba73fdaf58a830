package io.mlcycle.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.MlcycleException;
import io.mlcycle.testing.TestSpark;
import io.mlcycle.metrics.Task;
import org.junit.jupiter.api.Test;

/** pipeline.evaluate is checked whole before any data is read; a bad value exits 2 naming its key. */
class EvaluationSpecTest {
  private static MlcycleException refused(Task task, String... sets) {
    return assertThrows(MlcycleException.class, () -> EvaluationSpec.from(TestSpark.settings(sets).config(), task));
  }

  @Test
  void readsGatesOfEveryKind() {
    EvaluationSpec spec = EvaluationSpec.from(TestSpark.settings("pipeline.evaluate.gates.min.areaUnderROC=0.6",
        "pipeline.evaluate.gates.max-drop.logLoss=0.02", "pipeline.evaluate.gates.mode=dry-run").config(), Task.BINARY);
    assertEquals(2, spec.gates().size());
    assertTrue(!spec.enforce());
  }

  @Test
  void anUnknownGateMetricIsRefusedNamingTheKey() {
    MlcycleException e = refused(Task.BINARY, "pipeline.evaluate.gates.min.auc=0.6");
    assertEquals(2, e.exitCode().code());
    assertTrue(e.getMessage().contains("pipeline.evaluate.gates.min.auc") && e.getMessage().contains("areaUnderROC"),
        e.getMessage());
    assertTrue(refused(Task.REGRESSION, "pipeline.evaluate.gates.min.areaUnderROC=0.6").getMessage()
        .contains("not a metric of task regression"));
    assertTrue(refused(Task.MULTICLASS, "pipeline.evaluate.gates.min.f1=0.6").getMessage()
        .contains("'f1' is not a metric of task multiclass (it is one of binary); use one of [accuracy, logLoss, "
            + "macroF1, weightedF1]"));
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertTrue(refused(Task.BINARY, "pipeline.evaluate.threshold=1.5").getMessage().contains("pipeline.evaluate.threshold"));
    assertTrue(refused(Task.BINARY, "pipeline.evaluate.gates.mode=strict").getMessage().contains("enforce or dry-run"));
    assertTrue(refused(Task.BINARY, "pipeline.evaluate.gates.max-drop.areaUnderROC=-0.1").getMessage()
        .contains("cannot be negative"));
    assertTrue(refused(Task.BINARY, "pipeline.evaluate.optimise-threshold=true").getMessage()
        .contains("pipeline.evaluate.business"));
    assertTrue(refused(Task.BINARY, "pipeline.evaluate.bootstrap.samples=5").getMessage().contains("at least 20"));
  }
}
