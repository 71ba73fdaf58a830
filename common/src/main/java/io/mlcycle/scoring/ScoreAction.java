package io.mlcycle.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.dataset.KeyIssues;
import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.spark.SparkJobCounter;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one silver batch (pinned silver version) with the champion, and the challenger as canary or
 * shadow, into {@link PredictionsTable}: a batch already scored is nothing to do.
 */
public final class ScoreAction {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreAction.class);

  private final StageRuntime runtime;
  private final ScoringSetup setup;

  public ScoreAction(StageRuntime runtime, ScoringSetup setup) {
    this.runtime = runtime;
    this.setup = setup;
  }

  /** Rows one arm scored, and those of them with a category outside the frozen ones. */
  public record ArmRows(String role, int modelVersion, long rows, long rowsWithUnseen) {}

  /**
   * What a run scored.
   *
   * @param input the --input table scored instead of silver rows, when one was and was read
   * @param predictionsVersion the predictions table's version after the run
   * @param arms rows per role and model version, by role; empty when there was nothing to do
   * @param unseenByFeature rows with an unseen category per feature, only the features that had any
   * @param keys the batch's rows with a null or repeated entity key ({@link KeyIssues}): scored, but never
   *     matched to a label by monitor
   * @param warnings what the run warns of (such keys), each with its fix
   * @param nothingToDo why nothing was written (the batch was already scored), empty when scored
   */
  public record Result(String batchId, long silverVersion, Optional<String> input, long predictionsVersion,
                       List<ArmRows> arms, Map<String, Long> unseenByFeature, int championVersion,
                       Optional<Integer> challengerVersion, KeyIssues.Counts keys, List<String> warnings,
                       long sparkJobs, Optional<String> nothingToDo) {
    public long rows() {
      return arms.stream().mapToLong(ArmRows::rows).sum();
    }

    public long rowsWithUnseen() {
      return arms.stream().mapToLong(ArmRows::rowsWithUnseen).sum();
    }
  }

  /**
   * Scores the batch, or the latest batch of silver; with {@code input}, the rows of that table (Delta,
   * or Parquet) instead, under the given batch id, their windows still reaching back into silver.
   */
  public Result score(Optional<String> batch, Optional<String> input) {
    SparkSession spark = runtime.spark();
    ModelRegistry registry = new ModelRegistry(spark, runtime.storage());
    ModelRegistry.Version champion = registry.holder(setup.model(), ModelRegistry.CHAMPION)
        .orElseThrow(() -> Errors.usage("Cannot score with " + setup.model() + ": it has no champion yet. Run"
            + " 'mlcycle evaluate' (the first model that passes the gates becomes champion) or 'mlcycle promote"
            + " --version N'."));
    Optional<ModelRegistry.Version> challenger = registry.holder(setup.model(), ModelRegistry.CHALLENGER)
        .filter(v -> v.version() != champion.version());
    String silverPath = runtime.storage().silver(setup.dataset());
    long silverVersion = DeltaTables.version(spark, silverPath);
    if (silverVersion == DeltaTables.NO_TABLE) {
      throw Errors.missingInput("silver table", silverPath + " (run ingest and validate first)");
    }
    Dataset<Row> silver = spark.read().format("delta").option("versionAsOf", silverVersion).load(silverPath);
    if (input.isPresent() && batch.isEmpty()) {
      throw Errors.usage("Cannot score --input " + input.get() + ": it needs a batch id for its predictions. Pass"
          + " --batch ID.");
    }
    String batchId = batch.orElseGet(() -> latestBatch(silver));
    PredictionsTable predictions = new PredictionsTable(spark, runtime.storage(), setup.dataset());
    if (predictions.scored(batchId)) {
      return new Result(batchId, silverVersion, Optional.empty(), predictions.version(), List.of(), Map.of(),
          champion.version(), challenger.map(ModelRegistry.Version::version), KeyIssues.Counts.NONE, List.of(), 0,
          Optional.of("batch " + batchId + " is already scored in " + predictions.path()));
    }
    BatchScorer.Arm championArm = arm(champion, BatchScorer.CHAMPION);
    Optional<BatchScorer.Arm> challengerArm = challenger.map(v -> arm(v, BatchScorer.CHALLENGER));
    Dataset<Row> rows = input.isEmpty() ? silver.where(col(FeaturePipeline.BATCH_ID).equalTo(batchId))
        : new ExternalRows(spark, setup.definitions()).aligned(input.get(), silver, batchId,
            challengerArm.map(c -> List.of(championArm, c)).orElse(List.of(championArm)));
    Dataset<Row> others = silver.where(col(FeaturePipeline.BATCH_ID).notEqual(batchId));
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      Dataset<Row> scored = new BatchScorer(spark, setup.definitions()).score(rows, others, championArm,
              challengerArm, setup.scoring(), setup.entityKey(), setup.eventTime(), "silver/" + setup.dataset(),
              runtime.runId(), Timestamp.from(runtime.clock().instant()))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        List<Row> byArm = Steps.timed(LOG, "score " + batchId, () -> counts(scored));
        if (byArm.isEmpty()) {
          throw Errors.usage("Cannot score batch " + batchId + ": " + silverPath + " has no rows of it. Pass one of"
              + " its batches with --batch, e.g. " + latestBatch(silver) + ".");
        }
        KeyIssues.Counts keys = KeyIssues.count(rows, setup.entityKey(), List.of());
        List<String> warnings = keys.warning(setup.entityKey(), "rows of batch " + batchId).stream().toList();
        warnings.forEach(w -> LOG.warn("score {}: {}", setup.dataset(), w));
        long version = predictions.write(scored, batchId);
        return new Result(batchId, silverVersion, input, version, arms(byArm), unseen(byArm, scored.columns()),
            champion.version(), challenger.map(ModelRegistry.Version::version), keys, warnings, jobs.jobs(),
            Optional.empty());
      } finally {
        scored.unpersist();
      }
    }
  }

  private BatchScorer.Arm arm(ModelRegistry.Version version, String role) {
    return ModelArms.load(runtime.spark(), runtime.storage(), setup.dataset(), version, role, setup.evaluation());
  }

  /** The batch of the latest event time in silver. */
  private String latestBatch(Dataset<Row> silver) {
    return BatchScorer.latestBatch(silver, setup.eventTime()).orElseThrow(() ->
        Errors.usage("Cannot score: the silver table is empty. Run ingest and validate first."));
  }

  private static List<String> unseenFlags(String[] columns) {
    return List.of(columns).stream().filter(c -> c.startsWith(BatchScorer.UNSEEN_PREFIX)).toList();
  }

  /**
   * Per role and model version: rows, rows that had a category outside the frozen ones, then those rows
   * per feature, in the order of the unseen flags.
   */
  private static List<Row> counts(Dataset<Row> scored) {
    List<String> flags = unseenFlags(scored.columns());
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    aggregates.add(sum(anyUnseen(flags)).cast("long"));
    flags.forEach(f -> aggregates.add(sum(col(f)).cast("long")));
    return scored.groupBy("role", "model_version")
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .orderBy("role", "model_version").collectAsList();
  }

  private static List<ArmRows> arms(List<Row> byArm) {
    return byArm.stream().map(r -> new ArmRows(r.getString(0), r.getInt(1), r.getLong(2), r.getLong(3))).toList();
  }

  private static Map<String, Long> unseen(List<Row> byArm, String[] columns) {
    List<String> flags = unseenFlags(columns);
    Map<String, Long> byFeature = new LinkedHashMap<>();
    for (int f = 0; f < flags.size(); f++) {
      int index = 4 + f;
      long rows = byArm.stream().mapToLong(r -> r.getLong(index)).sum();
      if (rows > 0) {
        byFeature.put(flags.get(f).substring(BatchScorer.UNSEEN_PREFIX.length()), rows);
      }
    }
    return byFeature;
  }

  /** 1 when the row had an unseen category in any categorical feature; {@code greatest} needs two columns. */
  static Column anyUnseen(List<String> flags) {
    return switch (flags.size()) {
      case 0 -> lit(0);
      case 1 -> col(flags.get(0));
      default -> greatest(flags.stream().map(f -> col(f)).toArray(Column[]::new));
    };
  }
}
