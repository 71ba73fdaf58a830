package io.mlcycle.jobs;

import io.mlcycle.monitoring.MonitorAction;
import io.mlcycle.monitoring.MonitorResult;
import io.mlcycle.pipeline.PipelineSettings;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The monitor stage on the command line: options → {@link MonitorAction} → what it measured, printed. */
@Command(name = "monitor", description = "Measure a scored batch: feature and prediction drift against the model's "
    + "reference, realised performance from late labels, alerts, and the health of the jobs.")
final class MonitorJob extends JobCommand {
  @Option(names = "--batch", paramLabel = "ID", description = "The scored batch to monitor (default: the latest scored).")
  String batch;

  @Override
  public void run(JobContext context) {
    MonitorResult result = action(context).execute(Optional.ofNullable(batch));
    result.batchId().ifPresent(b -> context.summary().count("batch", b));
    if (!result.measured()) {
      context.summary().nothingToDo(result.nothingToDo().orElseThrow());
      return;
    }
    MonitorOutput.print(context.out(), result);
    result.performance().report().ifPresent(r -> context.summary().count("unmatched_labels", r.unmatchedLabels()));
    KeyCounts.summarise(context, result.keys(), result.warnings());
    double share = result.driftShare();
    context.summary()
        .count("drift_share", Double.isNaN(share) ? -1 : Math.round(share * 1e4) / 1e4)
        .count("alerts", result.alerts().size())
        .count("spark_jobs", result.sparkJobs())
        .message("monitored batch " + result.batchId().orElseThrow() + ": drift share " + (Double.isNaN(share) ? "n/a"
            : String.format("%.2f", share)) + (result.alerts().isEmpty() ? ", no alert" : "; ALERT: "
            + String.join("; ", result.alerts())));
  }

  /** The monitor stage over the pipeline's monitoring and training settings, in the context's runtime. */
  static MonitorAction action(JobContext context) {
    PipelineSettings pipeline = context.pipeline();
    return new MonitorAction(context.runtime(), pipeline.monitoring(), pipeline.training(),
        pipeline.storedDefinitions(), pipeline.name());
  }
}
