package io.mlcycle.monitoring;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.Lineage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The first half of the retrain stage: evaluates the triggers for the model's champion — drift in N of the
 * last M batches, realised performance past a limit, model age, new data, with a cooldown — from the
 * monitoring tables, and records the decision and its reason in {@code _mlcycle/decisions}. With no
 * champion yet, the decision is to train one. What a triggered decision runs is the caller's composition
 * of the features, train, evaluate and promote actions.
 */
public final class RetrainCheck {
  private final StageRuntime runtime;
  private final MonitoringSpec spec;
  private final String model;
  private final String dataset;

  public RetrainCheck(StageRuntime runtime, MonitoringSpec spec, String model, String dataset) {
    this.runtime = runtime;
    this.spec = spec;
    this.model = model;
    this.dataset = dataset;
  }

  /**
   * The decision, the champion it was taken for, the decisions table's version with it recorded, and the run
   * that recorded it (the one its retrained model is linked to).
   *
   * @param resumed whether the decision is an earlier run's that triggered a retrain it did not carry out
   */
  public record Decided(RetrainDecision decision, Optional<ModelRegistry.Version> champion, long decisionsVersion,
                        String decisionRunId, boolean resumed) {}

  /**
   * Decides, and records the decision; or, when the latest triggered decision registered no model (its run
   * was stopped before), resumes that decision instead: the retrain it owed is not lost to the cooldown.
   */
  public Decided decide() {
    Optional<ModelRegistry.Version> champion = new ModelRegistry(runtime.spark(), runtime.storage())
        .holder(model, ModelRegistry.CHAMPION);
    Optional<DecisionsTable.Recorded> owed = DecisionsTable.unfinished(runtime.spark(), runtime.storage(), model);
    if (owed.isPresent()) {
      return new Decided(owed.get().decision(), champion, DeltaTables.version(runtime.spark(),
          runtime.storage().system(DecisionsTable.TABLE)), owed.get().runId(), true);
    }
    RetrainDecision decision = champion.map(c -> new RetrainTriggers(spec).decide(history(c)))
        .orElse(new RetrainDecision(true, RetrainDecision.RETRAIN, "no-champion", "there is no champion yet"));
    long version = DecisionsTable.record(runtime.spark(), runtime.storage(), model, decision, runtime.runId(),
        runtime.clock().instant());
    return new Decided(decision, champion, version, runtime.runId(), false);
  }

  private RetrainTriggers.History history(ModelRegistry.Version champion) {
    SparkSession spark = runtime.spark();
    List<DriftTable.BatchShare> drift = DriftTable.history(spark, runtime.storage(), model, champion.version(),
        spec.unmonitored());
    Map<String, Double> realised = PerformanceTable.latest(spark, runtime.storage(), model, champion.version(),
        "champion");
    Map<String, Double> heldOut = spec.maxWorsening().isEmpty() ? Map.of()
        : new TrackingTables(spark, runtime.storage()).holdoutMetrics(model, champion.runId());
    return new RetrainTriggers.History(drift, realised, heldOut, Optional.of(champion.registeredAt().toInstant()),
        newRows(champion), DecisionsTable.lastTriggered(spark, runtime.storage(), model), runtime.clock().instant());
  }

  /** Feature rows added since the feature-table version the champion was trained on. */
  private long newRows(ModelRegistry.Version champion) {
    SparkSession spark = runtime.spark();
    String table = runtime.storage().features(dataset);
    Optional<Lineage> trained = Lineage.read(new TrackingTables(spark, runtime.storage()), champion.name(),
        champion.runId(), dataset);
    if (trained.isEmpty() || !DeltaTables.exists(spark, table)) {
      return 0;
    }
    long then = spark.read().format("delta").option("versionAsOf", trained.get().featuresVersion()).load(table)
        .count();
    return Math.max(0, spark.read().format("delta").load(table).count() - then);
  }
}
