package io.mlcycle.jobs;

import io.mlcycle.base.Errors;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.ingest.IngestAction;
import io.mlcycle.ingest.IngestResult;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Raw files → bronze, exactly once per batch; unparseable records → quarantine. */
@Command(name = "ingest", description = "Append one batch of raw files (CSV, JSON, Parquet; file, folder or glob) "
    + "to bronze/<dataset>, exactly once; records that do not parse go to quarantine/<dataset>.")
final class IngestJob extends JobCommand {
  @Option(names = "--input", paramLabel = "PATH|GLOB",
      description = "File, folder or glob to ingest, local or s3a:// (default: pipeline.source.path).")
  String input;

  @Option(names = "--batch-id", paramLabel = "ID",
      description = "Batch id (default: the input's file or folder name without extension).")
  String batchId;

  @Option(names = "--batch-per-file",
      description = "Ingest each input file as its own batch, named after the file.")
  boolean batchPerFile;

  @Override
  public void run(JobContext context) {
    DatasetSpec spec = context.pipeline().dataset();
    if (batchPerFile && batchId != null) {
      throw Errors.usage("Cannot ingest: --batch-id and --batch-per-file exclude each other. Pass one of them.");
    }
    ingest(context, input != null ? input : spec.source().path(), Optional.ofNullable(batchId), batchPerFile);
  }

  /** Ingests {@code input} as one batch, or one batch per file; prints each batch and summarises. */
  static IngestAction.Result ingest(JobContext context, String input, Optional<String> batchId, boolean batchPerFile) {
    context.summary().inputFile(input);
    IngestAction.Result result = action(context).execute(input, batchId, batchPerFile);
    summarize(context, context.pipeline().dataset(), result);
    return result;
  }

  /** The ingest stage over this job's runtime and settings; shared with the demo. */
  static IngestAction action(JobContext context) {
    return new IngestAction(context.runtime(), context.pipeline().dataset(), context.pipeline().quality().schemaDrift());
  }

  private static void summarize(JobContext context, DatasetSpec spec, IngestAction.Result result) {
    List<IngestResult> results = result.batches();
    IngestResult last = results.get(results.size() - 1);
    context.summary()
        .count("spark_jobs_ingest", result.sparkJobs())
        .count("seconds_ingest", result.seconds())
        .output("bronze/" + spec.name(), last.bronzeVersion())
        .output("quarantine/" + spec.name(), last.quarantineVersion())
        .count("batch_ids", String.join(",", results.stream().map(IngestResult::batchId).toList()))
        .count("batches_written", results.stream().filter(IngestResult::written).count())
        .count("rows_read", result.rowsRead()).count("rows_bronze", result.rowsBronze())
        .count("rows_quarantined", result.rowsQuarantined());
    results.forEach(r -> context.out().println("batch " + r.batchId() + ": " + r.message()
        + (r.skippedFiles().isEmpty() ? "" : " (skipped, already ingested: " + r.skippedFiles() + ")")));
    String message = String.join("; ", results.stream().map(IngestResult::message).toList());
    if (!result.wroteAny()) {
      context.summary().nothingToDo(message);
    } else {
      context.summary().message(message);
    }
  }
}
