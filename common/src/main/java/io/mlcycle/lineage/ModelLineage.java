package io.mlcycle.lineage;

import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.registry.ModelRegistry;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model version's whole chain, each link with the table version it is in: raw files → bronze → quality
 * report → silver → feature version → feature table → training run → evaluation → model version and
 * aliases → predictions → drift and realised performance → the retrain decision that made it. Values the
 * tracking tables did not record are {@code "?"}.
 *
 * @param modelsPath the registry table the version is in
 * @param batches per batch of the feature table version it trained on; empty when that version is not recorded
 * @param aliases the aliases that point at the version now
 * @param aliasMoves the registry's alias moves to or from the version, in order
 * @param predictions what the version scored; empty when there are no predictions yet
 * @param decisions the retrain decisions that made the version
 */
public record ModelLineage(ModelRegistry.Version version, String modelsPath, Optional<List<BatchLink>> batches,
                           FeatureLink features, TrainingLink training, List<GateDecision> gates,
                           List<String> aliases, List<ModelRegistry.AliasMove> aliasMoves,
                           Optional<Predictions> predictions, List<RetrainLink> decisions) {
  public ModelLineage {
    batches = batches.map(List::copyOf);
    gates = List.copyOf(gates);
    aliases = List.copyOf(aliases);
    aliasMoves = List.copyOf(aliasMoves);
    decisions = List.copyOf(decisions);
  }

  /**
   * One batch the model trained on, from its raw files to silver.
   *
   * @param files the raw files bronze read it from; {@code "?"} when bronze has none
   * @param quality its ingest and validate outcomes; empty when the quality table has none
   */
  public record BatchLink(String batchId, String files, Optional<Quality> quality) {}

  /**
   * A batch's record in {@code _mlcycle/quality}.
   *
   * @param bronzeVersion the bronze version ingest wrote; empty without an ingest outcome
   * @param silverVersion the silver version validate wrote; empty without a validate outcome
   * @param failingRows rows failing the validate rules that did not pass
   */
  public record Quality(Optional<Long> bronzeVersion, Optional<Long> silverVersion, long failingRows,
                        long outcomes) {}

  /** The feature version the training run read, and the table versions it was built from and into. */
  public record FeatureLink(String featureVersion, String definitionHash, String silverVersion,
                            String featuresTableVersion) {}

  /**
   * The training run's recorded inputs.
   *
   * @param task the model's task, as the run recorded it
   * @param metric the metric the run chose the model by
   * @param runtimeVersions the mlcycle, spark and delta versions it ran with, by name
   */
  public record TrainingLink(String runId, Task task, Metric metric, String configHash, String foldAssignment,
                             Map<String, String> split, Map<String, String> runtimeVersions) {}

  /** The evaluation's decision against one champion (none: the first model), from {@code _mlcycle/gates}. */
  public record GateDecision(Optional<Integer> championVersion, long passed, long gates, String decision) {}

  /**
   * What the version scored.
   *
   * @param tableVersion the predictions table's version now
   */
  public record Predictions(long tableVersion, List<ScoredBatch> batches) {
    public Predictions {
      batches = List.copyOf(batches);
    }
  }

  /**
   * One batch the version scored in one role.
   *
   * @param drift its drift as recorded; empty when not measured
   * @param realised its realised metrics per role, the task's as monitor measured them (the selection metric
   *     first); empty when no label was measured
   */
  public record ScoredBatch(String batchId, String role, long predictions, Optional<DriftTable.BatchShare> drift,
                            List<RealisedMetric> realised) {
    public ScoredBatch {
      realised = List.copyOf(realised);
    }
  }

  /** One realised metric of the version's predictions of a batch in one role, on so many labels. */
  public record RealisedMetric(String role, Metric metric, double value, long labelledRows) {}

  /** A retrain decision that made the version. */
  public record RetrainLink(Timestamp decidedAt, String decision, String trigger, String reason) {}
}
