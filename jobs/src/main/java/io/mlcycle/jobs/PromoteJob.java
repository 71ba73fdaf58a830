package io.mlcycle.jobs;

import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.Promotion;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Makes a registered version champion, after its smoke test, in one transaction with a reason. */
@Command(name = "promote", description = "Make a registered model version champion (after a smoke test), with a reason.")
final class PromoteJob extends JobCommand {
  @Option(names = "--version", paramLabel = "N", required = true, description = "The registered version to promote.")
  int version;

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "promoted by hand",
      description = "Why, recorded in the alias history (default: ${DEFAULT-VALUE}).")
  String reason;

  @Override
  public void run(JobContext context) {
    String name = context.pipeline().training().name();
    if (promote(context, version, reason).isEmpty()) {
      context.summary().nothingToDo(name + " version " + version + " is already champion");
      return;
    }
    context.summary().message("promoted " + name + " version " + version + " to champion: " + reason);
  }

  /**
   * Promotes the version as evaluate, retrain and this job do it, printing the smoke test and the move;
   * empty when the version already is champion.
   */
  static Optional<Promotion.Result> promote(JobContext context, int version, String reason) {
    Optional<Promotion.Result> result = promotion(context).promote(version, reason);
    result.ifPresent(r -> report(context, r));
    return result;
  }

  static Promotion promotion(JobContext context) {
    return new Promotion(context.runtime(), context.pipeline().scoringSetup());
  }

  /** The smoke test, the move, and the tables read and written, as every promotion reports them. */
  static void report(JobContext context, Promotion.Result result) {
    Promotion.Smoke smoke = result.smoke();
    context.out().printf("Smoke test: version %d loaded from %s (checksums verified) and scored %d rows of batch %s%n",
        result.version(), smoke.version().modelPath(), smoke.outcome().rows(), smoke.outcome().batchId());
    context.out().printf("Champion -> version %d (was %s): %s%n", result.version(),
        result.previousChampion().map(v -> "version " + v).orElse("none"), result.reason());
    context.summary()
        .input("silver/" + context.pipeline().name(), smoke.silverVersion())
        .output("_mlcycle/" + ModelRegistry.ALIASES, result.aliasesVersion())
        .count("smoke_rows", smoke.outcome().rows())
        .count("champion_version", result.version());
  }
}
