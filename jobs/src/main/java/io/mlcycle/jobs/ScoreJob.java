package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.Errors;
import io.mlcycle.base.Steps;
import io.mlcycle.base.TextTable;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.BatchScorer;
import io.mlcycle.scoring.ModelArms;
import io.mlcycle.scoring.ScoringSpec;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.training.TrainingSpec;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One silver batch → {@code predictions/<pipeline>}: the champion, and the challenger as canary or shadow. */
@Command(name = "score", description = "Score one silver batch with the champion (and the challenger as canary or "
    + "shadow) into predictions/<pipeline>.")
final class ScoreJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);

  @Option(names = "--batch", paramLabel = "ID", description = "The silver batch to score (default: the latest), or the"
      + " batch id of --input.")
  String batch;

  @Option(names = "--input", paramLabel = "PATH", description = "Score this table of silver-shaped rows (Delta, or"
      + " Parquet) instead of a silver batch; needs --batch. Windows still reach back into silver.")
  String input;

  /** What the last run scored, "role vN: rows" per arm, for the demo's table. */
  String arms = "";

  @Override
  public void run(JobContext context) {
    SparkSession spark = context.spark();
    TrainingSpec training = context.pipeline().training();
    ScoringSpec spec = context.pipeline().scoring();
    String dataset = context.pipeline().name();
    ModelRegistry registry = new ModelRegistry(spark, context.storage());
    ModelRegistry.Version champion = registry.holder(training.name(), ModelRegistry.CHAMPION)
        .orElseThrow(() -> Errors.usage("Cannot score with " + training.name() + ": it has no champion yet. Run"
            + " 'mlcycle evaluate' (the first model that passes the gates becomes champion) or 'mlcycle promote"
            + " --version N'."));
    Optional<ModelRegistry.Version> challenger = registry.holder(training.name(), ModelRegistry.CHALLENGER)
        .filter(v -> v.version() != champion.version());
    String silverPath = context.storage().silver(dataset);
    long silverVersion = DeltaTables.version(spark, silverPath);
    if (silverVersion == DeltaTables.NO_TABLE) {
      throw Errors.missingInput("silver table", silverPath + " (run ingest and validate first)");
    }
    Dataset<Row> silver = spark.read().format("delta").option("versionAsOf", silverVersion).load(silverPath);
    if (input != null && batch == null) {
      throw Errors.usage("Cannot score --input " + input + ": it needs a batch id for its predictions. Pass --batch ID.");
    }
    String batchId = batch != null ? batch : latestBatch(silver, training.eventTime());
    context.summary().input("silver/" + dataset, silverVersion).count("batch", batchId);
    String predictions = context.storage().path("predictions/" + dataset);
    String appId = "predictions/" + batchId;
    if (DeltaTables.committed(spark, predictions, appId)) {
      arms = "already scored";
      context.summary().output("predictions/" + dataset, DeltaTables.version(spark, predictions))
          .nothingToDo("batch " + batchId + " is already scored in " + predictions);
      return;
    }
    BatchScorer scorer = new BatchScorer(spark, context.pipeline().storedDefinitions());
    BatchScorer.Arm championArm = ModelArms.load(spark, context.storage(), dataset, champion, BatchScorer.CHAMPION,
        context.pipeline().evaluation());
    Optional<BatchScorer.Arm> challengerArm = challenger.map(v ->
        ModelArms.load(spark, context.storage(), dataset, v, BatchScorer.CHALLENGER,
            context.pipeline().evaluation()));
    Dataset<Row> rows = input == null ? silver.where(col(FeaturePipeline.BATCH_ID).equalTo(batchId))
        : external(context, silver, batchId, championArm, challengerArm);
    Dataset<Row> others = silver.where(col(FeaturePipeline.BATCH_ID).notEqual(batchId));
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      Dataset<Row> scored = scorer.score(rows, others, championArm, challengerArm, spec, training.entityKey(),
          training.eventTime(), "silver/" + dataset, context.runId(), Timestamp.from(context.clock().instant()))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<Row> byArm = Steps.timed(LOG, "score " + batchId, () -> counts(scored));
        if (byArm.isEmpty()) {
          throw Errors.usage("Cannot score batch " + batchId + ": " + silverPath + " has no rows of it. Pass one of its"
              + " batches with --batch, e.g. " + latestBatch(silver, training.eventTime()) + ".");
        }
        long version = DeltaTables.appendOnce(scored.select(BatchScorer.predictionColumns(scored)), predictions, appId);
        print(context, batchId, byArm, scored.columns());
        this.arms = String.join(", ", byArm.stream().map(r -> r.getString(0) + " v" + r.getInt(1) + ": " + r.getLong(2))
            .toList());
        long total = byArm.stream().mapToLong(r -> r.getLong(2)).sum();
        long unseen = byArm.stream().mapToLong(r -> r.getLong(3)).sum();
        context.summary().output("predictions/" + dataset, version)
            .count("rows", total)
            .count("rows_with_unseen_categories", unseen)
            .count("champion_version", champion.version())
            .count("spark_jobs", jobs.jobs())
            .message("scored batch " + batchId + ": " + total + " rows, champion version " + champion.version()
                + challenger.map(c -> ", challenger version " + c.version() + " (" + spec.mode() + ")").orElse(""));
        challenger.ifPresent(c -> context.summary().count("challenger_version", c.version()));
      } finally {
        scored.unpersist();
      }
    }
  }

  /**
   * The --input rows in silver's shape: checked first against every arm's feature definitions (exit 2
   * naming the feature and the missing column), then given silver's columns and types.
   */
  private Dataset<Row> external(JobContext context, Dataset<Row> silver, String batchId, BatchScorer.Arm champion,
                                Optional<BatchScorer.Arm> challenger) {
    SparkSession spark = context.spark();
    boolean delta = DeltaTables.exists(spark, input);
    Dataset<Row> rows = delta ? spark.read().format("delta").load(input) : spark.read().parquet(input);
    for (BatchScorer.Arm arm : challenger.map(c -> List.of(champion, c)).orElse(List.of(champion))) {
      FeaturePipeline.create(spark, context.pipeline().storedDefinitions().of(arm.features()), rows.schema(), input,
          arm.features().folding());
    }
    List<String> present = List.of(rows.columns());
    List<Column> aligned = new ArrayList<>();
    for (var field : silver.schema().fields()) {
      Column value = field.name().equals(FeaturePipeline.BATCH_ID) ? lit(batchId)
          : present.contains(field.name()) ? col(field.name()) : lit(null);
      aligned.add(value.cast(field.dataType()).as(field.name()));
    }
    context.summary().count("input", input);
    return rows.select(aligned.toArray(Column[]::new));
  }

  /** The batch of the latest event time in silver. */
  private static String latestBatch(Dataset<Row> silver, String eventTime) {
    return BatchScorer.latestBatch(silver, eventTime).orElseThrow(() ->
        Errors.usage("Cannot score: the silver table is empty. Run ingest and validate first."));
  }

  /** Rows per role and model version, with the rows that had a category outside the frozen ones and per feature. */
  private static List<Row> counts(Dataset<Row> scored) {
    List<String> flags = List.of(scored.columns()).stream().filter(c -> c.startsWith(BatchScorer.UNSEEN_PREFIX))
        .toList();
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    aggregates.add(sum(flags.isEmpty() ? lit(0) : greatest(flags.stream().map(f -> col(f)).toArray(Column[]::new)))
        .cast("long"));
    flags.forEach(f -> aggregates.add(sum(col(f)).cast("long")));
    return scored.groupBy("role", "model_version")
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .orderBy("role", "model_version").collectAsList();
  }

  private static void print(JobContext context, String batchId, List<Row> arms, String[] columns) {
    List<String> flags = List.of(columns).stream().filter(c -> c.startsWith(BatchScorer.UNSEEN_PREFIX)).toList();
    context.out().println("Scored batch " + batchId + ":");
    TextTable table = new TextTable("role", "model version", "rows", "rows with unseen categories");
    arms.forEach(r -> table.row(r.getString(0), r.getInt(1), r.getLong(2), r.getLong(3)));
    table.print(context.out());
    List<String> perFeature = new ArrayList<>();
    for (int f = 0; f < flags.size(); f++) {
      int index = 4 + f;
      long rows = arms.stream().mapToLong(r -> r.getLong(index)).sum();
      if (rows > 0) {
        perFeature.add(flags.get(f).substring(BatchScorer.UNSEEN_PREFIX.length()) + " " + rows);
      }
    }
    if (!perFeature.isEmpty()) {
      context.out().println("Unseen categories (scored as 'other'), rows per feature: " + String.join(", ", perFeature));
    }
  }
}
