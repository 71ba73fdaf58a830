package io.mlcycle.quality;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.spark.SparkJobCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validate stage: bronze batches → {@code silver/<dataset>} through the quality rules, failing rows →
 * quarantine, with the quality report and column profile of each batch. One batch, or every bronze batch
 * not yet in silver.
 */
public final class ValidateAction {
  private static final Logger LOG = LoggerFactory.getLogger(ValidateAction.class);

  private final StageRuntime runtime;
  private final DatasetSpec dataset;
  private final QualitySpec quality;
  private final Function<String, String> environment;

  /** @param environment how to read an environment variable (the pii key): System::getenv in jobs */
  public ValidateAction(StageRuntime runtime, DatasetSpec dataset, QualitySpec quality,
                        Function<String, String> environment) {
    this.runtime = runtime;
    this.dataset = dataset;
    this.quality = quality;
    this.environment = environment;
  }

  /** What one validate did: a result per batch, the bronze version it read, and what it cost. */
  public record Result(long bronzeVersion, List<ValidateResult> batches, long sparkJobs, double seconds) {
    public Result {
      batches = List.copyOf(batches);
    }

    public boolean wroteAny() {
      return batches.stream().anyMatch(ValidateResult::written);
    }
  }

  /** @param batchId the bronze batch to validate; every pending one when empty */
  public Result execute(Optional<String> batchId) {
    String bronze = runtime.storage().bronze(dataset.name());
    if (!DeltaTables.exists(runtime.spark(), bronze)) {
      throw Errors.usage("Cannot validate " + dataset.name() + ": there is no bronze table at " + bronze
          + ". Run 'mlcycle ingest --input PATH' first.");
    }
    long bronzeVersion = DeltaTables.version(runtime.spark(), bronze);
    RuleSet rules = Steps.timed(LOG, "validate " + dataset.name() + ": read the rules",
        () -> quality.rules().resolve(runtime.spark()));
    BatchValidation validation = new BatchValidation(runtime.spark(), dataset, runtime.storage(), rules,
        quality.handling(), PiiProtection.of(quality.pii(), environment,
            dataset.columns().stream().anyMatch(c -> c.pii())),
        quality.schemaDrift(), runtime.runId(), runtime.clock());
    List<String> batches = batchId.map(List::of).orElseGet(() ->
        Steps.timed(LOG, "validate " + dataset.name() + ": pending batches", validation::pendingBatches));
    List<ValidateResult> results = new ArrayList<>();
    long start = System.nanoTime();
    try (SparkJobCounter jobs = SparkJobCounter.start(runtime.spark())) {
      for (String batch : batches) {
        results.add(validation.validate(batch, bronzeVersion));
      }
      return new Result(bronzeVersion, results, jobs.jobs(), Math.round((System.nanoTime() - start) / 1e6) / 1e3);
    }
  }
}
