package io.mlcycle.jobs;

import io.mlcycle.features.FeatureHash;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.base.TextTable;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.monitoring.PerformanceTable;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.PredictionsTable;
import io.mlcycle.tracking.StepsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chain for one batch: ingest → validate → score → features (its labels) → monitor → retrain. Each
 * step is skipped when its inputs — the table versions it reads — are what they were at its last success
 * for this batch, so a rerun after a failure at any step finishes the remaining steps only. Every step's
 * outcome is a row of {@code _mlcycle/steps}.
 */
@Command(name = "run", description = "Run the whole chain for one batch (ingest, validate, score, features, monitor, "
    + "retrain), skipping each step whose inputs are unchanged since its last success.")
final class RunJob extends JobCommand {
  static final List<String> STEPS = List.of("ingest", "validate", "score", "features", "monitor", "retrain");

  @Option(names = "--input", paramLabel = "PATH", required = true,
      description = "The batch's raw file, folder or glob, local or s3a://.")
  String input;

  @Option(names = "--batch-id", paramLabel = "ID", description = "Batch id (default: the input's name).")
  String batchId;

  @Override
  public void run(JobContext context) throws Exception {
    SparkSession spark = context.spark();
    DatasetSpec dataset = context.pipeline().dataset();
    String batch = batchId != null ? batchId
        : InputFiles.resolve(input, spark.sparkContext().hadoopConfiguration()).defaultBatchId();
    StepsTable steps = new StepsTable(context.runtime());
    Map<String, String> done = steps.succeeded(dataset.name(), batch);
    TextTable table = new TextTable("step", "outcome", "inputs");
    context.summary().count("batch", batch);
    try {
      for (String step : STEPS) {
        String inputs = inputs(context, dataset.name(), step);
        if (inputs.equals(done.get(step))) {
          table.row(step, "skipped: inputs unchanged since its last success", inputs);
          continue;
        }
        JobContext child = context.child(step + "-" + batch);
        runStep(step, child, batch);
        steps.recordSuccess(dataset.name(), batch, step, inputs);
        table.row(step, "ran (" + child.runId() + ")", inputs);
      }
    } finally {
      context.out().println("Chain for batch " + batch + ":");
      table.print(context.out());
    }
    context.summary().message("chain for batch " + batch + " complete");
  }

  private void runStep(String step, JobContext child, String batch) throws Exception {
    switch (step) {
      case "ingest" -> IngestJob.ingest(child, input, Optional.of(batch), false);
      case "validate" -> ValidateJob.validate(child, Optional.of(batch));
      case "score" -> ScoreJob.score(child, Optional.of(batch), Optional.empty());
      case "features" -> FeaturesJob.features(child, false);
      case "monitor" -> MonitorOutput.print(child.out(), MonitorJob.action(child).execute(Optional.of(batch)));
      case "retrain" -> new RetrainJob().run(child);
      default -> throw new IllegalStateException("no step " + step);
    }
  }

  /** The versions of what a step reads, as "table@version" in a stable order. */
  private String inputs(JobContext context, String dataset, String step) {
    SparkSession spark = context.spark();
    Storage storage = context.storage();
    Map<String, Object> versions = new TreeMap<>();
    switch (step) {
      case "ingest" -> versions.put("input", input);
      case "validate" -> versions.put("bronze", DeltaTables.version(spark, storage.bronze(dataset)));
      case "score" -> {
        versions.put("silver", DeltaTables.version(spark, storage.silver(dataset)));
        versions.put("aliases", DeltaTables.version(spark, storage.system(ModelRegistry.ALIASES)));
      }
      case "features" -> {
        versions.put("silver", DeltaTables.version(spark, storage.silver(dataset)));
        versions.put("definition", FeatureHash.of(spark, context.pipeline().features())
            .substring(0, 12));
      }
      case "monitor" -> {
        versions.put("predictions", new PredictionsTable(spark, storage, dataset).version());
        versions.put("features", DeltaTables.version(spark, storage.features(dataset)));
      }
      case "retrain" -> {
        versions.put("drift", DeltaTables.version(spark, storage.system(DriftTable.TABLE)));
        versions.put("performance", DeltaTables.version(spark, storage.system(PerformanceTable.TABLE)));
        versions.put("aliases", DeltaTables.version(spark, storage.system(ModelRegistry.ALIASES)));
        versions.put("features", DeltaTables.version(spark, storage.features(dataset)));
      }
      default -> throw new IllegalStateException("no step " + step);
    }
    List<String> parts = new ArrayList<>();
    versions.forEach((table, version) -> parts.add(table + "@" + version));
    return String.join(" ", parts);
  }
}
