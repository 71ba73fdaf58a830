package io.mlcycle.jobs;

import io.mlcycle.base.Errors;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.base.TextTable;
import io.mlcycle.reproduction.ReproduceAction;
import io.mlcycle.reproduction.Reproduction;
import io.mlcycle.reproduction.ReproductionsTable;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The reproduce stage on the command line: which versions → {@link ReproduceAction} → the verdicts,
 * printed; exit 4 when a rebuild differs from what its version recorded.
 */
@Command(name = "reproduce", description = "Rebuild model versions from their lineage alone, compare every recorded "
    + "item and record the verdict in _mlcycle/reproductions.")
final class ReproduceJob extends JobCommand {
  @Option(names = "--model", paramLabel = "NAME:VERSION",
      description = "The model version, e.g. flights:2 (NAME defaults to the pipeline's model).")
  String model;

  @Option(names = "--run", paramLabel = "ID", description = "A training run of the pipeline's model, registered or not.")
  String run;

  @Option(names = "--all", description = "Every registered version of the pipeline's model.")
  boolean all;

  @Override
  public void run(JobContext context) {
    if ((model != null ? 1 : 0) + (run != null ? 1 : 0) + (all ? 1 : 0) != 1) {
      throw Errors.usage("Cannot reproduce: say which model with exactly one of --model NAME:VERSION, --run ID or "
          + "--all.");
    }
    String pipelineModel = context.pipeline().training().name();
    ReproduceAction action = new ReproduceAction(context.runtime(), context.settings());
    List<Reproduction> reproductions;
    if (model != null) {
      ModelReference reference = ModelReference.parse(model, "--model", pipelineModel);
      reproductions = List.of(action.version(reference.name(), reference.version()));
    } else {
      reproductions = all ? action.all(pipelineModel) : List.of(action.run(pipelineModel, run));
    }
    report(context, reproductions);
  }

  /** Prints the verdicts, fills the summary, and exits 4 when any rebuild differs. */
  static void report(JobContext context, List<Reproduction> reproductions) {
    print(context.out(), reproductions);
    long different = reproductions.stream().filter(r -> r.verdict() == Reproduction.Verdict.DIFFERENT).count();
    for (Reproduction.Verdict verdict : Reproduction.Verdict.values()) {
      context.summary().count(verdict.word().replace('-', '_'),
          reproductions.stream().filter(r -> r.verdict() == verdict).count());
    }
    context.summary().output("_mlcycle/" + ReproductionsTable.TABLE,
        io.mlcycle.io.DeltaTables.version(context.spark(), context.storage().system(ReproductionsTable.TABLE)));
    if (different > 0) {
      throw new MlcycleException(ExitCode.MODEL_GATE, "Cannot reproduce " + reproductions.stream()
          .filter(r -> r.verdict() == Reproduction.Verdict.DIFFERENT).map(r -> r.model() + ":" + r.version()
              + " (" + String.join(", ", r.differing()) + ")").toList()
          + ": the rebuild differs from what was recorded. The items are in _mlcycle/reproductions.");
    }
    context.summary().message(reproductions.size() + " reproduced: " + reproductions.stream()
        .map(r -> r.model() + ":" + r.version() + " " + r.verdict().word()).toList());
  }

  static void print(PrintStream out, List<Reproduction> reproductions) {
    TextTable table = new TextTable("model", "version", "run", "verdict", "items compared", "differing", "rows from");
    for (Reproduction r : reproductions) {
      table.row(r.model(), r.version() == 0 ? "-" : r.version(), r.runId(), r.verdict().word(),
          r.items().stream().mapToInt(Reproduction.Item::values).sum(),
          r.differing().isEmpty() ? "-" : String.join(", ", r.differing()), r.featureRows());
    }
    table.print(out);
    for (Reproduction r : reproductions) {
      r.items().stream().filter(i -> i.verdict() != Reproduction.Verdict.IDENTICAL).forEach(i -> out.printf(
          "  %s:%d %s: %s, largest relative difference %.3g%s%n", r.model(), r.version(), i.name(), i.verdict().word(),
          i.largestDifference(), i.detail().isEmpty() ? "" : " (" + i.detail() + ")"));
      r.warnings().forEach(w -> out.printf("  %s:%d warning: %s%n", r.model(), r.version(), w));
    }
  }
}
