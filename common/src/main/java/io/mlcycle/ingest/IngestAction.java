package io.mlcycle.ingest;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.quality.SchemaDriftPolicy;
import io.mlcycle.spark.SparkJobCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ingest stage: raw files → {@code bronze/<dataset>}, exactly once per batch, unparseable records →
 * quarantine. The input is one batch (named by the caller or after the input) or one batch per file.
 */
public final class IngestAction {
  private final StageRuntime runtime;
  private final DatasetSpec dataset;
  private final SchemaDriftPolicy schemaDrift;

  public IngestAction(StageRuntime runtime, DatasetSpec dataset, SchemaDriftPolicy schemaDrift) {
    this.runtime = runtime;
    this.dataset = dataset;
    this.schemaDrift = schemaDrift;
  }

  /**
   * What one ingest did: a result per batch, in input order, and what it cost.
   *
   * @param sparkJobs the Spark jobs the batches launched
   */
  public record Result(List<IngestResult> batches, long sparkJobs, double seconds) {
    public Result {
      batches = List.copyOf(batches);
    }

    public long rowsRead() {
      return batches.stream().mapToLong(IngestResult::rowsRead).sum();
    }

    public long rowsBronze() {
      return batches.stream().mapToLong(IngestResult::rowsBronze).sum();
    }

    public long rowsQuarantined() {
      return batches.stream().mapToLong(IngestResult::rowsQuarantined).sum();
    }

    public boolean wroteAny() {
      return batches.stream().anyMatch(IngestResult::written);
    }
  }

  /**
   * @param input a file, folder or glob, local or {@code s3a://}
   * @param batchId the batch's id (default: the input's file or folder name); not with {@code batchPerFile}
   */
  public Result execute(String input, Optional<String> batchId, boolean batchPerFile) {
    InputFiles files = InputFiles.resolve(input, runtime.spark().sparkContext().hadoopConfiguration());
    BatchIngest ingest = new BatchIngest(runtime.spark(), dataset, runtime.storage(), schemaDrift, runtime.runId(),
        runtime.clock());
    List<IngestResult> results = new ArrayList<>();
    long start = System.nanoTime();
    try (SparkJobCounter jobs = SparkJobCounter.start(runtime.spark())) {
      if (batchPerFile) {
        files.files().forEach(f -> results.add(ingest.ingest(InputFiles.batchIdOf(f), List.of(f))));
      } else {
        results.add(ingest.ingest(batchId.orElse(files.defaultBatchId()), files.files()));
      }
      return new Result(results, jobs.jobs(), Math.round((System.nanoTime() - start) / 1e6) / 1e3);
    }
  }
}
