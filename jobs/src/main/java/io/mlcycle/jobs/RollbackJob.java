package io.mlcycle.jobs;

import io.mlcycle.scoring.Promotion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Puts the previous champion back, after its smoke test, in one transaction with a reason. */
@Command(name = "rollback", description = "Make the previous champion champion again (after a smoke test), with a reason.")
final class RollbackJob extends JobCommand {
  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "rolled back by hand",
      description = "Why, recorded in the alias history (default: ${DEFAULT-VALUE}).")
  String reason;

  @Override
  public void run(JobContext context) {
    Promotion.Result result = PromoteJob.promotion(context).rollback(reason);
    PromoteJob.report(context, result);
    context.summary().message("rolled " + context.pipeline().training().name() + " back from version "
        + result.previousChampion().orElse(-1) + " to version " + result.version());
  }
}
