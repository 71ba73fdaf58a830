package io.mlcycle.jobs;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.evaluation.EvaluateAction;
import io.mlcycle.evaluation.EvaluateResult;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.evaluation.EvaluationTables;
import io.mlcycle.evaluation.GateLog;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.Promotion;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.training.TrainingSpec;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A training run's model on its own holdout rows, against the champion on the same rows: metrics, slices,
 * the paired bootstrap, the gates and the decision, recorded; then the model is registered and, when it
 * passes, becomes challenger (or champion, when there is none yet).
 */
@Command(name = "evaluate", description = "Evaluate a training run's model on its holdout against the champion; "
    + "apply the gates, register the model, and make a passing model challenger (or the first champion).")
final class EvaluateJob extends JobCommand {
  @Option(names = "--run", paramLabel = "RUN_ID", description = "The training run to evaluate (default: the model's latest).")
  String candidateRun;

  @Override
  public void run(JobContext context) {
    evaluate(context, Optional.ofNullable(candidateRun));
  }

  /**
   * Evaluates {@code candidateRun} (default the model's latest), prints the tables, moves the aliases of a
   * passing model and fills the summary; a no-go throws exit 4 after the candidate is recorded.
   */
  static EvaluateResult evaluate(JobContext context, Optional<String> candidateRun) {
    TrainingSpec spec = context.pipeline().training();
    EvaluationSpec evaluation = context.pipeline().evaluation();
    EvaluateResult result = new EvaluateAction(context.runtime(), spec, evaluation, context.pipeline().name())
        .execute(candidateRun);
    String run = result.candidateRun();
    context.summary().count("candidate_run", run);
    result.evaluated().ifPresentOrElse(e -> printEvaluation(context, spec, result, e), () -> context.out().printf(
        "Run %s was already evaluated against %s in run %s: %s.%n", run, result.championVersion()
            .map(v -> "champion version " + v).orElse("no champion"), result.evaluationRunId(), result.decision()));
    context.out().printf("Gates (%s):%n", evaluation.enforce() ? "enforce" : "dry-run");
    EvaluationTables.gates(result.gates()).print(context.out());
    context.out().println("Decision: " + result.decision());
    ModelRegistry registry = new ModelRegistry(context.spark(), context.storage());
    context.out().printf("Registered %s version %d (run %s) in %s%n", spec.name(), result.version(), run,
        registry.modelsPath());
    long aliasJobs = 0;
    if (result.proceeds()) {
      try (SparkJobCounter jobs = SparkJobCounter.start(context.spark())) {
        moveAliases(context, result.version(), result.evaluationRunId());
        aliasJobs = jobs.jobs();
      }
    }
    context.summary()
        .output("_mlcycle/" + ModelRegistry.MODELS, result.modelsVersion())
        .count("model_version", result.version())
        .count("decision", result.decision())
        .count("spark_jobs", result.sparkJobs() + aliasJobs);
    result.metrics().forEach((name, value) -> context.summary().count(name, Math.round(value * 1e6) / 1e6));
    if (!result.proceeds()) {
      throw new MlcycleException(ExitCode.MODEL_GATE, "Cannot pass " + spec.name() + " run " + run
          + " (registered as version " + result.version() + "): no-go, the gates " + result.failedGates()
          + " failed. No alias moved; see the gate table, or pipeline.evaluate.gates.");
    }
    context.summary().message("evaluated " + spec.name() + " run " + run + ": " + result.decision()
        + "; registered as version " + result.version() + "; aliases " + registry.aliases(spec.name()));
    return result;
  }

  private static void printEvaluation(JobContext context, TrainingSpec spec, EvaluateResult result,
                                      EvaluateResult.Evaluated evaluated) {
    context.summary()
        .input("features/" + context.pipeline().name(), evaluated.featuresVersion())
        .output("_mlcycle/metrics", evaluated.metricsVersion())
        .output("_mlcycle/" + GateLog.TABLE, evaluated.gatesVersion());
    context.out().printf("Evaluation of %s run %s on %d holdout rows (features version %d), against %s:%n",
        spec.name(), result.candidateRun(), evaluated.result().candidate().get("rows").longValue(),
        evaluated.featuresVersion(), result.champion().map(v -> "champion version " + v.version() + " (run "
            + v.runId() + ")").orElse("no champion"));
    EvaluationTables.metrics(evaluated.result()).print(context.out());
    String metric = EvaluationTables.sliceMetric(spec);
    EvaluationTables.weakestSlices(evaluated.result(), metric).ifPresent(slices -> {
      context.out().printf("Weakest slices by %s (of %d):%n", metric, evaluated.result().slices().size());
      slices.print(context.out());
    });
  }

  /** Prints where a passing version went (see {@link Promotion#placePassing}). */
  private static void moveAliases(JobContext context, int version, String evaluationRunId) {
    Promotion.Placement placed = PromoteJob.promotion(context).placePassing(version, evaluationRunId);
    if (placed.kept()) {
      context.out().printf("Version %d already holds an alias: %s%n", version, placed.aliases());
    }
    placed.champion().ifPresent(promoted -> PromoteJob.report(context, promoted));
    placed.aliasesVersion().ifPresent(aliases -> {
      int champion = placed.aliases().get(ModelRegistry.CHAMPION);
      context.out().printf("Challenger -> version %d (champion stays version %d; 'mlcycle promote --version %d' to"
          + " promote it)%n", version, champion, version);
      context.summary().output("_mlcycle/" + ModelRegistry.ALIASES, aliases);
    });
  }
}
