package io.mlcycle.jobs;

import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.Errors;
import io.mlcycle.base.Steps;
import io.mlcycle.quality.BatchValidation;
import io.mlcycle.quality.PiiProtection;
import io.mlcycle.quality.QualitySpec;
import io.mlcycle.quality.RuleSet;
import io.mlcycle.quality.ValidateResult;
import io.mlcycle.spark.SparkJobCounter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Bronze batches → silver through the configured rules; failing rows → quarantine; report and profile. */
@Command(name = "validate", description = "Validate bronze batches into silver/<dataset>: normalise, de-duplicate, "
    + "apply the quality rules, quarantine dropped rows, and record the quality report and column profile. "
    + "Exit 3 when a rule of severity error fails.")
final class ValidateJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ValidateJob.class);

  @Option(names = "--batch-id", paramLabel = "ID",
      description = "The bronze batch to validate (default: every bronze batch not yet in silver).")
  String batchId;

  @Override
  public void run(JobContext context) {
    List<ValidateResult> results = validate(context, batchId);
    summarize(context, context.pipeline().dataset(), results);
  }

  /** Validates one batch, or every pending one; shared with the demo. */
  static List<ValidateResult> validate(JobContext context, String batchId) {
    DatasetSpec spec = context.pipeline().dataset();
    QualitySpec quality = context.pipeline().quality();
    String bronze = context.storage().bronze(spec.name());
    if (!DeltaTables.exists(context.spark(), bronze)) {
      throw Errors.usage("Cannot validate " + spec.name() + ": there is no bronze table at " + bronze
          + ". Run 'mlcycle ingest --input PATH' first.");
    }
    long bronzeVersion = DeltaTables.version(context.spark(), bronze);
    context.summary().input("bronze/" + spec.name(), bronzeVersion);
    RuleSet rules = Steps.timed(LOG, "validate " + spec.name() + ": read the rules",
        () -> quality.rules().resolve(context.spark()));
    BatchValidation validation = new BatchValidation(context.spark(), spec, context.storage(),
        rules, quality.handling(),
        PiiProtection.of(quality.pii(), System::getenv, spec.columns().stream().anyMatch(c -> c.pii())),
        quality.schemaDrift(), context.runId(), context.clock());
    List<String> batches = batchId != null ? List.of(batchId)
        : Steps.timed(LOG, "validate " + spec.name() + ": pending batches", validation::pendingBatches);
    List<ValidateResult> results = new ArrayList<>();
    long start = System.nanoTime();
    try (SparkJobCounter jobs = SparkJobCounter.start(context.spark())) {
      for (String batch : batches) {
        results.add(validation.validate(batch, bronzeVersion));
      }
      context.summary().count("spark_jobs_validate", jobs.jobs())
          .count("seconds_validate", Math.round((System.nanoTime() - start) / 1e6) / 1e3);
    }
    return results;
  }

  private static void summarize(JobContext context, DatasetSpec spec, List<ValidateResult> results) {
    if (results.isEmpty()) {
      context.summary().nothingToDo("every bronze batch of " + spec.name() + " is already in silver");
      return;
    }
    ValidateResult last = results.get(results.size() - 1);
    context.summary()
        .output("silver/" + spec.name(), last.silverVersion())
        .output("quarantine/" + spec.name(), last.quarantineVersion())
        .count("batch_ids", String.join(",", results.stream().map(ValidateResult::batchId).toList()))
        .count("rows_in", results.stream().mapToLong(ValidateResult::rowsIn).sum())
        .count("rows_silver", results.stream().mapToLong(ValidateResult::rowsSilver).sum())
        .count("rows_quarantined", results.stream().mapToLong(ValidateResult::rowsQuarantined).sum())
        .count("rows_duplicate", results.stream().mapToLong(ValidateResult::rowsDuplicate).sum())
        .count("warnings", results.stream().mapToLong(r -> r.warnings().size()).sum());
    results.forEach(r -> {
      context.out().println("batch " + r.batchId() + ": " + r.message());
      r.warnings().forEach(w -> context.out().println("  warning " + w));
    });
    String message = String.join("; ", results.stream().map(ValidateResult::message).toList());
    if (results.stream().noneMatch(ValidateResult::written)) {
      context.summary().nothingToDo(message);
    } else {
      context.summary().message(message);
    }
  }
}
