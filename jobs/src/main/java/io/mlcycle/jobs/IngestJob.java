package io.mlcycle.jobs;

import io.mlcycle.ingest.BatchIngest;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.ingest.IngestResult;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.base.Errors;
import io.mlcycle.quality.SchemaDriftPolicy;
import io.mlcycle.spark.SparkJobCounter;
import java.util.ArrayList;
import java.util.List;
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
    summarize(context, spec, ingest(context, spec, input != null ? input : spec.source().path(), batchId, batchPerFile));
  }

  /** Ingests the input as one batch, or one batch per file; shared with the demo. */
  static List<IngestResult> ingest(JobContext context, DatasetSpec spec, String path, String batchId,
                                   boolean batchPerFile) {
    InputFiles files = InputFiles.resolve(path, context.spark().sparkContext().hadoopConfiguration());
    BatchIngest ingest = new BatchIngest(context.spark(), spec, context.storage(),
        context.pipeline().quality().schemaDrift(), context.runId(), context.clock());
    List<IngestResult> results = new ArrayList<>();
    long start = System.nanoTime();
    try (SparkJobCounter jobs = SparkJobCounter.start(context.spark())) {
      if (batchPerFile) {
        files.files().forEach(f -> results.add(ingest.ingest(InputFiles.batchIdOf(f), List.of(f))));
      } else {
        results.add(ingest.ingest(batchId != null ? batchId : files.defaultBatchId(), files.files()));
      }
      context.summary().count("spark_jobs_ingest", jobs.jobs())
          .count("seconds_ingest", Math.round((System.nanoTime() - start) / 1e6) / 1e3);
    }
    return results;
  }

  private static void summarize(JobContext context, DatasetSpec spec, List<IngestResult> results) {
    long read = results.stream().mapToLong(IngestResult::rowsRead).sum();
    long bronze = results.stream().mapToLong(IngestResult::rowsBronze).sum();
    long quarantined = results.stream().mapToLong(IngestResult::rowsQuarantined).sum();
    IngestResult last = results.get(results.size() - 1);
    context.summary()
        .output("bronze/" + spec.name(), last.bronzeVersion())
        .output("quarantine/" + spec.name(), last.quarantineVersion())
        .count("batch_ids", String.join(",", results.stream().map(IngestResult::batchId).toList()))
        .count("batches_written", results.stream().filter(IngestResult::written).count())
        .count("rows_read", read).count("rows_bronze", bronze).count("rows_quarantined", quarantined);
    results.forEach(r -> context.out().println("batch " + r.batchId() + ": " + r.message()
        + (r.skippedFiles().isEmpty() ? "" : " (skipped, already ingested: " + r.skippedFiles() + ")")));
    String message = String.join("; ", results.stream().map(IngestResult::message).toList());
    if (results.stream().noneMatch(IngestResult::written)) {
      context.summary().nothingToDo(message);
    } else {
      context.summary().message(message);
    }
  }
}
