package io.mlcycle.jobs;

import io.mlcycle.base.TextTable;
import io.mlcycle.registry.ModelArchive;
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

  @Option(names = "--archive", paramLabel = "NAME:VERSION", description = "Release a version from retention: "
      + "'mlcycle vacuum' no longer keeps what its lineage needs, nor its model folder (never the champion or "
      + "challenger).")
  String archive;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why the version is archived (with --archive).")
  String reason;

  @Override
  public void run(JobContext context) {
    String name = context.pipeline().training().name();
    ModelRegistry registry = new ModelRegistry(context.spark(), context.storage());
    if (archive != null) {
      ModelReference reference = ModelReference.parse(archive, "--archive", name);
      long written = new ModelArchive(context.spark(), context.storage()).archive(reference.name(),
          reference.version(), reason == null ? "archived" : reason, context.user(), context.runId(),
          context.clock().instant());
      context.out().println("Archived " + reference + ": 'mlcycle vacuum' may now remove what only it needed.");
      context.summary().output("_mlcycle/" + ModelArchive.TABLE, written).message("archived " + reference);
      return;
    }
    java.util.Set<Integer> archived = new ModelArchive(context.spark(), context.storage()).archived(name);
    List<ModelRegistry.Version> versions = registry.versions(name);
    Map<String, Integer> aliases = registry.aliases(name);
    TextTable table = new TextTable("version", "aliases", "decision", "run id", "registered (UTC)", "by", "model path");
    for (ModelRegistry.Version v : versions) {
      String held = aliases.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey)
          .collect(Collectors.joining(","));
      table.row(v.version(), held + (archived.contains(v.version()) ? (held.isEmpty() ? "" : ",") + "(archived)" : ""),
          v.decision(), v.runId(), v.registeredAt(), v.registeredBy(), v.modelPath());
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
