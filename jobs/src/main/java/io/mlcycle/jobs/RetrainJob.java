package io.mlcycle.jobs;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.evaluation.EvaluateResult;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.monitoring.DecisionsTable;
import io.mlcycle.monitoring.RetrainCheck;
import io.mlcycle.monitoring.RetrainDecision;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.training.TrainingSpec;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * Decides whether to retrain — drift in N of the last M batches, realised performance past its limit, model
 * age, new-data volume, with a cooldown — records the decision and its reason, and when triggered runs
 * features → train → evaluate → promote (gated) on the latest data, linking the new model to the decision.
 */
@Command(name = "retrain", description = "Evaluate the retraining triggers (drift, realised performance, age, new "
    + "data, cooldown); record the decision; when triggered, train, evaluate and promote (gated) on the latest data.")
final class RetrainJob extends JobCommand {
  @Override
  public void run(JobContext context) {
    RetrainCheck.Decided decided = decide(context);
    if (decided.decision().triggered()) {
      retrainOn(context, decided);
    } else {
      context.summary().message("no retrain: " + decided.decision().reason());
    }
  }

  /** Evaluates the triggers and records the decision; prints it and puts it in the summary. */
  static RetrainCheck.Decided decide(JobContext context) {
    TrainingSpec training = context.pipeline().training();
    RetrainCheck.Decided decided = new RetrainCheck(context.runtime(), context.pipeline().monitoring(),
        training.name(), context.pipeline().name()).decide();
    RetrainDecision decision = decided.decision();
    context.out().printf("Retrain decision for %s (champion %s): %s — %s%s%n", training.name(),
        decided.champion().map(c -> "version " + c.version()).orElse("none"), decision.decision(), decision.reason(),
        decided.resumed() ? " (taken by run " + decided.decisionRunId() + ", which stopped before retraining)" : "");
    context.summary().output("_mlcycle/" + DecisionsTable.TABLE, decided.decisionsVersion())
        .count("decision", decision.decision())
        .count("trigger", decision.trigger());
    return decided;
  }

  /**
   * Features, train, evaluate and promote (gated) on the latest data for a triggered decision, the new
   * model linked to it; returns the version promoted to champion, if one was. A no-go throws exit 4.
   */
  static Optional<Integer> retrainOn(JobContext context, RetrainCheck.Decided decided) {
    RetrainDecision decision = decided.decision();
    String model = context.pipeline().training().name();
    FeaturesJob.update(context).run();
    JobContext train = context.child("train");
    TrainJob.train(train, Optional.empty());
    ModelRegistry registry = new ModelRegistry(context.spark(), context.storage());
    EvaluateResult evaluated;
    try {
      evaluated = EvaluateJob.evaluate(context.child("evaluate"), Optional.of(train.runId()));
    } catch (MlcycleException e) {
      if (e.exitCode() == ExitCode.MODEL_GATE) {
        // The no-go model is registered: the decision is carried out, and a rerun does not retrain again.
        registry.versions(model).stream().filter(v -> v.runId().equals(train.runId())).findFirst()
            .ifPresent(v -> DecisionsTable.linkModel(context.spark(), context.storage(), model,
                decided.decisionRunId(), v.version()));
        context.summary().message("retrained on " + decision.trigger() + " but the new model is a no-go: the "
            + "champion stays; " + e.getMessage());
      }
      throw e;
    }
    int version = evaluated.version();
    DecisionsTable.linkModel(context.spark(), context.storage(), model, decided.decisionRunId(), version);
    context.summary().count("new_model_version", version);
    if (context.pipeline().monitoring().retrainTo().equals(ModelRegistry.CHALLENGER)) {
      context.summary().message("retrained on " + decision.trigger() + ": version " + version + " is "
          + registry.aliases(model).entrySet().stream().filter(e -> e.getValue() == version)
          .map(Map.Entry::getKey).findFirst().orElse("registered") + " (pipeline.monitoring.retrain-to = challenger)");
      return Optional.empty();
    }
    if (!Integer.valueOf(version).equals(registry.aliases(model).get(ModelRegistry.CHAMPION))) {
      PromoteJob.promote(context, version, "retrain (" + decision.trigger() + "): " + decision.reason());
    }
    context.summary()
        .output("_mlcycle/" + DecisionsTable.TABLE, DeltaTables.version(context.spark(), context.storage().system(
            DecisionsTable.TABLE)))
        .message("retrained on " + decision.trigger() + ": version " + version + " is champion");
    return Optional.of(version);
  }
}
