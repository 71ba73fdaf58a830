package io.mlcycle.jobs;

import io.mlcycle.base.TextTable;
import io.mlcycle.registry.ModelRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the registered versions of the pipeline's model with their aliases, and the alias history. */
@Command(name = "models", description = "List the registered model versions, their aliases and the alias history.")
final class ModelsJob extends JobCommand {
  @Option(names = "--history", description = "Also print every alias move (time, user, reason, previous holder).")
  boolean history;

  @Override
  public void run(JobContext context) {
    String name = context.pipeline().training().name();
    ModelRegistry registry = new ModelRegistry(context.spark(), context.storage());
    List<ModelRegistry.Version> versions = registry.versions(name);
    Map<String, Integer> aliases = registry.aliases(name);
    TextTable table = new TextTable("version", "aliases", "decision", "run id", "registered (UTC)", "by", "model path");
    for (ModelRegistry.Version v : versions) {
      String held = aliases.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey)
          .collect(Collectors.joining(","));
      table.row(v.version(), held, v.decision(), v.runId(), v.registeredAt(), v.registeredBy(), v.modelPath());
    }
    context.out().println("Model " + name + " (" + registry.modelsPath() + "):");
    table.print(context.out());
    if (history) {
      TextTable moves = new TextTable("#", "moved (UTC)", "alias", "version", "previous", "by", "reason");
      registry.history(name).forEach(m -> moves.row(m.seq(), m.movedAt(), m.alias(),
          m.version() == null ? "(cleared)" : m.version(), m.previousVersion(), m.movedBy(), m.reason()));
      context.out().println("Alias history (" + registry.aliasesPath() + "):");
      moves.print(context.out());
    }
    context.summary().count("versions", versions.size()).message(versions.size() + " versions of " + name
        + "; aliases " + aliases);
  }
}
