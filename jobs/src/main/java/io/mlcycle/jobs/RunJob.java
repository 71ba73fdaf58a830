package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.features.FeatureHash;
import io.mlcycle.features.FeatureSpec;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.base.TextTable;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.monitoring.PerformanceTable;
import io.mlcycle.registry.ModelRegistry;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
  static final String TABLE = "steps";
  static final List<String> STEPS = List.of("ingest", "validate", "score", "features", "monitor", "retrain");
  private static final StructType SCHEMA = new StructType()
      .add("pipeline", DataTypes.StringType, false).add("batch_id", DataTypes.StringType, false)
      .add("step", DataTypes.StringType, false).add("inputs", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false).add("run_id", DataTypes.StringType, false)
      .add("finished_at", DataTypes.TimestampType, false);

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
    Map<String, String> done = succeeded(spark, context.storage(), dataset.name(), batch);
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
        record(spark, context.storage(), dataset.name(), batch, step, inputs, context.runId(), context);
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
      case "ingest" -> {
        IngestJob ingest = new IngestJob();
        ingest.input = input;
        ingest.batchId = batch;
        ingest.run(child);
      }
      case "validate" -> {
        ValidateJob validate = new ValidateJob();
        validate.batchId = batch;
        validate.run(child);
      }
      case "score" -> {
        ScoreJob score = new ScoreJob();
        score.batch = batch;
        score.run(child);
      }
      case "features" -> new FeaturesJob().run(child);
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
        versions.put("predictions", DeltaTables.version(spark, storage.path("predictions/" + dataset)));
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

  /** Step → inputs of its latest success for the batch. */
  private static Map<String, String> succeeded(SparkSession spark, Storage storage, String dataset, String batch) {
    Map<String, String> done = new LinkedHashMap<>();
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return done;
    }
    spark.read().format("delta").load(path)
        .where(col("pipeline").equalTo(dataset).and(col("batch_id").equalTo(batch))
            .and(col("status").equalTo("succeeded")))
        .orderBy("finished_at").select("step", "inputs").collectAsList()
        .forEach(r -> done.put(r.getString(0), r.getString(1)));
    return done;
  }

  private static void record(SparkSession spark, Storage storage, String dataset, String batch, String step,
                             String inputs, String runId, JobContext context) {
    Row row = RowFactory.create(dataset, batch, step, inputs, "succeeded", runId,
        Timestamp.from(context.clock().instant()));
    DeltaTables.appendOnce(spark.createDataFrame(List.of(row), SCHEMA), storage.system(TABLE),
        "steps/" + dataset + "/" + batch + "/" + step + "/" + runId);
  }
}
