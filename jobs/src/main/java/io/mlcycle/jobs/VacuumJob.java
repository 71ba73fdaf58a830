package io.mlcycle.jobs;

import io.mlcycle.base.TextTable;
import io.mlcycle.retention.VacuumAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Retention on the command line: options → {@link VacuumAction} → what went (or would go), per table. */
@Command(name = "vacuum", description = "Delta VACUUM of every table under the storage root and removal of archived "
    + "model folders, never below what a registered, non-archived version's lineage needs.")
final class VacuumJob extends JobCommand {
  @Option(names = "--retain", paramLabel = "HOURS", defaultValue = "168",
      description = "Keep the files that commits of the last HOURS replaced (default: ${DEFAULT-VALUE}, Delta's).")
  double retain;

  @Option(names = "--dry-run", description = "List what would be removed; remove nothing.")
  boolean dryRun;

  @Override
  public void run(JobContext context) {
    VacuumAction.Outcome outcome = new VacuumAction(context.runtime()).execute(retain, dryRun);
    TextTable table = new TextTable("table", "version", "kept from", "kept for", dryRun ? "files to remove" : "files removed");
    for (VacuumAction.TablePlan plan : outcome.tables()) {
      table.row(plan.table(), plan.latest(), plan.keptFor() < 0 ? "-" : plan.keptFor(),
          plan.keptBy().isEmpty() ? "-" : plan.keptBy(), plan.files().size());
    }
    table.print(context.out());
    outcome.modelFolders().forEach(f -> context.out().println((dryRun ? "Would remove" : "Removed")
        + " the folder of an archived version: " + f));
    context.summary().count("tables", outcome.tables().size()).count("files", outcome.files())
        .count("model_folders", outcome.modelFolders().size())
        .message((dryRun ? "dry run: would remove " : "removed ") + outcome.files() + " files from "
            + outcome.tables().size() + " tables and " + outcome.modelFolders().size() + " archived model folders"
            + " (retain " + retain + " hours)");
  }
}
