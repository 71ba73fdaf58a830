package io.mlcycle.jobs;

import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.training.TrainingSpec;
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
    ModelRegistry registry = new ModelRegistry(context.spark(), context.storage());
    if (Integer.valueOf(version).equals(registry.aliases(name).get(ModelRegistry.CHAMPION))) {
      context.summary().nothingToDo(name + " version " + version + " is already champion");
      return;
    }
    AliasMoves.promote(context, registry, context.pipeline().name(), name, version,
        reason);
    context.summary().message("promoted " + name + " version " + version + " to champion: " + reason);
  }
}
