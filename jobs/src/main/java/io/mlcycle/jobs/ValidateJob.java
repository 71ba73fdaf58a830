package io.mlcycle.jobs;

import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.quality.ValidateAction;
import io.mlcycle.quality.ValidateResult;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Bronze batches → silver through the configured rules; failing rows → quarantine; report and profile. */
@Command(name = "validate", description = "Validate bronze batches into silver/<dataset>: normalise, de-duplicate, "
    + "apply the quality rules, quarantine dropped rows, and record the quality report and column profile. "
    + "Exit 3 when a rule of severity error fails.")
final class ValidateJob extends JobCommand {
  @Option(names = "--batch-id", paramLabel = "ID",
      description = "The bronze batch to validate (default: every bronze batch not yet in silver).")
  String batchId;

  @Override
  public void run(JobContext context) {
    validate(context, Optional.ofNullable(batchId));
  }

  /** Validates {@code batchId}, or every pending bronze batch; prints each batch and summarises. */
  static ValidateAction.Result validate(JobContext context, Optional<String> batchId) {
    ValidateAction.Result result = action(context).execute(batchId);
    summarize(context, context.pipeline().dataset(), result);
    return result;
  }

  /** The validate stage over this job's runtime and settings; shared with the demo. */
  static ValidateAction action(JobContext context) {
    return new ValidateAction(context.runtime(), context.pipeline().dataset(), context.pipeline().quality(),
        System::getenv);
  }

  private static void summarize(JobContext context, DatasetSpec spec, ValidateAction.Result result) {
    List<ValidateResult> results = result.batches();
    context.summary().input("bronze/" + spec.name(), result.bronzeVersion())
        .count("spark_jobs_validate", result.sparkJobs())
        .count("seconds_validate", result.seconds());
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
    if (!result.wroteAny()) {
      context.summary().nothingToDo(message);
    } else {
      context.summary().message(message);
    }
  }
}
