package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.lineage.ModelLineage;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.registry.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lineage job's printed chain names the model's task and shows the task's realised metrics per role. */
class LineageOutputTest {

  @Test
  void aRegressionVersionPrintsItsRealisedErrorsPerRole() {
    String out = print(Task.REGRESSION, Metric.RMSE, List.of(
        new ModelLineage.RealisedMetric("champion", Metric.RMSE, 0.4512, 150),
        new ModelLineage.RealisedMetric("champion", Metric.MAE, 0.35, 150),
        new ModelLineage.RealisedMetric("champion", Metric.R2, 0.85, 150),
        new ModelLineage.RealisedMetric("champion", Metric.MEAN_RESIDUAL, -0.1, 150),
        new ModelLineage.RealisedMetric("challenger", Metric.RMSE, 0.5, 20)));
    assertTrue(out.contains("3. training run r1 (regression, chosen by rmse): "), out);
    assertTrue(out.contains("realised as champion on 150 labels: rmse 0.451, mae 0.350, r2 0.850, mean_residual "
        + "-0.100; realised as challenger on 20 labels: rmse 0.500"), out);
    assertFalse(out.contains("AUC"), out);
  }

  @Test
  void aMulticlassVersionPrintsItsRealisedMetricsWithCountsAsWholeNumbers() {
    String out = print(Task.MULTICLASS, Metric.MACRO_F1, List.of(
        new ModelLineage.RealisedMetric("champion", Metric.MACRO_F1, 0.8, 150),
        new ModelLineage.RealisedMetric("champion", Metric.UNSEEN_LABELS, 4, 150)));
    assertTrue(out.contains("(multiclass, chosen by macroF1)"), out);
    assertTrue(out.contains("realised as champion on 150 labels: macroF1 0.800, unseen_labels 4"), out);
  }

  private static String print(Task task, Metric metric, List<ModelLineage.RealisedMetric> realised) {
    Timestamp at = Timestamp.from(Instant.parse("2024-03-01T00:00:00Z"));
    ModelRegistry.Version version = new ModelRegistry.Version("iris", 1, "r1", "models/iris/r1", at, "ci", "e1", "go",
        Optional.empty());
    ModelLineage lineage = new ModelLineage(version, "_mlcycle/models", Optional.empty(),
        new ModelLineage.FeatureLink("1", "abc", "2", "3"),
        new ModelLineage.TrainingLink("r1", task, metric, "c0ffee", "hash", Map.of(), Map.of()), List.of(),
        List.of("champion"), List.of(),
        Optional.of(new ModelLineage.Predictions(5, List.of(new ModelLineage.ScoredBatch("2024-02", "champion", 150,
            Optional.of(new DriftTable.BatchShare("2024-02", 4, 1, at.toInstant())), realised)))),
        List.of());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LineageOutput.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "iris", lineage);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
