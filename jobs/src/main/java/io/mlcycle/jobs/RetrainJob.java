package io.mlcycle.jobs;

import io.mlcycle.features.FeatureSpec;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.monitoring.DecisionsTable;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.monitoring.MonitoringSpec;
import io.mlcycle.monitoring.PerformanceTable;
import io.mlcycle.monitoring.RetrainDecision;
import io.mlcycle.monitoring.RetrainTriggers;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.TrainingSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/**
 * Decides whether to retrain — drift in N of the last M batches, realised performance past its limit, model
 * age, new-data volume, with a cooldown — records the decision and its reason, and when triggered runs
 * features → train → evaluate → promote (gated) on the latest data, linking the new model to the decision.
 */
@Command(name = "retrain", description = "Evaluate the retraining triggers (drift, realised performance, age, new "
    + "data, cooldown); record the decision; when triggered, train, evaluate and promote (gated) on the latest data.")
final class RetrainJob extends JobCommand {
  /** What the last run decided, and the new champion version when one was promoted. */
  RetrainDecision decision;
  Optional<Integer> promoted = Optional.empty();

  @Override
  public void run(JobContext context) throws Exception {
    SparkSession spark = context.spark();
    TrainingSpec training = context.pipeline().training();
    MonitoringSpec spec = context.pipeline().monitoring();
    String retrainTo = spec.retrainTo();
    String dataset = context.pipeline().name();
    ModelRegistry registry = new ModelRegistry(spark, context.storage());
    Optional<ModelRegistry.Version> champion = registry.holder(training.name(), ModelRegistry.CHAMPION);
    decision = champion.map(c -> new RetrainTriggers(spec).decide(history(context, training, dataset, c)))
        .orElse(new RetrainDecision(true, RetrainDecision.RETRAIN, "no-champion", "there is no champion yet"));
    long decisions = DecisionsTable.record(spark, context.storage(), training.name(), decision, context.runId(),
        context.clock().instant());
    context.out().printf("Retrain decision for %s (champion %s): %s — %s%n", training.name(),
        champion.map(c -> "version " + c.version()).orElse("none"), decision.decision(), decision.reason());
    context.summary().output("_mlcycle/" + DecisionsTable.TABLE, decisions)
        .count("decision", decision.decision())
        .count("trigger", decision.trigger());
    if (!decision.triggered()) {
      context.summary().message("no retrain: " + decision.reason());
      return;
    }
    new FeatureTableUpdate(spark, context.storage(), context.pipeline().features(), context.runId(),
        context.clock()).run();
    JobContext train = context.child("train");
    new TrainJob().run(train);
    EvaluateJob evaluate = new EvaluateJob();
    evaluate.candidateRun = train.runId();
    try {
      evaluate.run(context.child("evaluate"));
    } catch (MlcycleException e) {
      if (e.exitCode() != ExitCode.MODEL_GATE) {
        throw e;
      }
      context.summary().message("retrained on " + decision.trigger() + " but the new model is a no-go: the champion"
          + " stays; " + e.getMessage());
      throw e;
    }
    int version = registry.versions(training.name()).stream().filter(v -> v.runId().equals(train.runId()))
        .findFirst().orElseThrow().version();
    DecisionsTable.linkModel(spark, context.storage(), training.name(), context.runId(), version);
    context.summary().count("new_model_version", version);
    if (retrainTo.equals(ModelRegistry.CHALLENGER)) {
      context.summary().message("retrained on " + decision.trigger() + ": version " + version + " is "
          + registry.aliases(training.name()).entrySet().stream().filter(e -> e.getValue() == version)
          .map(Map.Entry::getKey).findFirst().orElse("registered") + " (pipeline.monitoring.retrain-to = challenger)");
      return;
    }
    if (!Integer.valueOf(version).equals(registry.aliases(training.name()).get(ModelRegistry.CHAMPION))) {
      PromoteJob.promote(context, version,
          "retrain (" + decision.trigger() + "): " + decision.reason());
    }
    promoted = Optional.of(version);
    context.summary()
        .output("_mlcycle/" + DecisionsTable.TABLE, DeltaTables.version(spark, context.storage().system(
            DecisionsTable.TABLE)))
        .message("retrained on " + decision.trigger() + ": version " + version + " is champion");
  }

  private static RetrainTriggers.History history(JobContext context, TrainingSpec training, String dataset,
                                                 ModelRegistry.Version champion) {
    SparkSession spark = context.spark();
    List<DriftTable.BatchShare> drift = DriftTable.history(spark, context.storage(), training.name(),
        champion.version());
    Map<String, Double> realised = PerformanceTable.latest(spark, context.storage(), training.name(),
        champion.version(), "champion");
    return new RetrainTriggers.History(drift, realised, Optional.of(champion.registeredAt().toInstant()),
        newRows(context, dataset, champion), DecisionsTable.lastTriggered(spark, context.storage(), training.name()),
        context.clock().instant());
  }

  /** Feature rows added since the feature-table version the champion was trained on. */
  private static long newRows(JobContext context, String dataset, ModelRegistry.Version champion) {
    SparkSession spark = context.spark();
    String table = context.storage().features(dataset);
    String trained = new TrackingTables(spark, context.storage()).lineage(champion.name(), champion.runId())
        .getOrDefault("table", Map.of()).get("features/" + dataset);
    if (trained == null || !DeltaTables.exists(spark, table)) {
      return 0;
    }
    long then = spark.read().format("delta").option("versionAsOf", Long.parseLong(trained))
        .load(table).count();
    return Math.max(0, spark.read().format("delta").load(table).count() - then);
  }
}
