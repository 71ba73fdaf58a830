package io.mlcycle.jobs;

import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.training.TrainingSpec;
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
    String name = context.pipeline().training().name();
    ModelRegistry registry = new ModelRegistry(context.spark(), context.storage());
    int current = registry.aliases(name).getOrDefault(ModelRegistry.CHAMPION, -1);
    int previous = registry.previousChampion(name);
    AliasMoves.promote(context, registry, context.pipeline().name(), name, previous,
        "rollback from version " + current + ": " + reason);
    context.summary().message("rolled " + name + " back from version " + current + " to version " + previous);
  }
}
