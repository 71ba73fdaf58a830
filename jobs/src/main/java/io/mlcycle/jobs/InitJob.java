package io.mlcycle.jobs;

import io.mlcycle.base.Errors;
import io.mlcycle.dataset.SourceFormat;
import io.mlcycle.init.InitAction;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A raw file → a starter pipeline file for it, every choice commented with its evidence. */
@Command(name = "init", description = "Start a pipeline from a raw file (CSV, JSON lines, a JSON array, Parquet): "
    + "sample it, infer its schema, profile it, and write conf/pipelines/<name>.conf with the key, event time, "
    + "quality rules, features and task it suggests, each with its evidence.")
final class InitJob extends JobCommand {
  @Option(names = "--input", paramLabel = "FILE", required = true,
      description = "The raw file to start from (a folder or glob of like files works too), local or s3a://.")
  String input;

  @Option(names = "--label", paramLabel = "COLUMN",
      description = "The column to predict (default: one named label, target, class, y or outcome).")
  String label;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The pipeline's name, which names its tables (default: the file name without extension).")
  String name;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "csv, json (one object per line), multiline-json (one document, e.g. an array) or parquet "
          + "(default: told by the extension).")
  String format;

  @Option(names = "--output", paramLabel = "FILE",
      description = "Where to write (default: pipelines/<name>.conf beside the --config file, else conf/pipelines/).")
  Path output;

  @Option(names = "--sample-rows", paramLabel = "N", defaultValue = "10000",
      description = "Rows read and profiled (default: ${DEFAULT-VALUE}).")
  int sampleRows;

  @Option(names = "--force", description = "Overwrite the pipeline file when it exists.")
  boolean force;

  @Override
  public void run(JobContext context) {
    Optional<SourceFormat> parsed = Optional.ofNullable(format).map(f -> SourceFormat.parse(f).orElseThrow(
        () -> Errors.usage("Cannot read --format " + f + ": use csv, json, multiline-json or parquet.")));
    if (sampleRows < 1) {
      throw Errors.usage("Cannot sample " + sampleRows + " rows: pass --sample-rows with a positive number.");
    }
    Path pipelines = common.configRequest().configFile()
        .map(file -> file.toAbsolutePath().getParent().resolve("pipelines")).orElse(Path.of("conf", "pipelines"));
    InitAction.Result result = new InitAction(context.runtime()).execute(new InitAction.Request(input, parsed,
        Optional.ofNullable(label), Optional.ofNullable(name), Optional.ofNullable(output), pipelines, force,
        sampleRows, common.configRequest()));
    print(context, result);
  }

  private void print(JobContext context, InitAction.Result result) {
    var out = context.out();
    out.printf("Profiled %,d rows of %s (%s%s)%n", result.rows(), input, result.format().configName(),
        result.wholeInput() ? ", the whole input" : ", a sample");
    out.println("  entity key  " + result.entityKey() + ": " + result.entityKeyEvidence());
    out.println("  event time  " + result.eventTime().orElse("none"));
    out.println("  label       " + result.label() + ": " + result.taskEvidence());
    out.println("  features    " + String.join(", ", result.features()));
    result.leftOut().forEach(reason -> out.println("  left out    " + reason));
    out.println("  rules       " + result.rules() + " suggested from the profile");
    out.println("Wrote " + result.file() + "; it loads as every job loads it. Review it, then:");
    String pipeline = "--pipeline " + result.pipeline() + (common.config != null ? " --config " + common.config : "");
    for (String step : List.of("ingest " + pipeline + " --input " + input, "validate " + pipeline,
        "features " + pipeline, "train " + pipeline, "evaluate " + pipeline)) {
      out.println("  ./mlcycle " + step);
    }
    context.summary().count("rows_profiled", result.rows()).count("features", result.features().size())
        .count("rules", result.rules()).count("task", result.task().id())
        .message("wrote " + result.file() + ": " + result.task().id() + " on " + result.label() + ", "
            + result.features().size() + " features, " + result.rules() + " rules");
  }
}
