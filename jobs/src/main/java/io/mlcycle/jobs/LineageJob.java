package io.mlcycle.jobs;

import io.mlcycle.lineage.LineageAction;
import io.mlcycle.lineage.ModelLineage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The lineage stage on the command line: options → {@link LineageAction} → the model version's chain, printed. */
@Command(name = "lineage", description = "Print a model version's chain from raw files to predictions, drift and "
    + "performance, with every table version.")
final class LineageJob extends JobCommand {
  @Option(names = "--model", paramLabel = "NAME:VERSION", required = true,
      description = "The model version, e.g. flights:2 (NAME defaults to the pipeline's model).")
  String model;

  @Override
  public void run(JobContext context) {
    ModelReference reference = ModelReference.parse(model, "--model", context.pipeline().training().name());
    String name = reference.name();
    int number = reference.version();
    ModelLineage lineage = new LineageAction(context.runtime(), context.pipeline().name()).execute(name, number);
    LineageOutput.print(context.out(), context.pipeline().name(), lineage);
    context.summary().count("model_version", number).message("lineage of " + name + ":" + number);
  }
}
