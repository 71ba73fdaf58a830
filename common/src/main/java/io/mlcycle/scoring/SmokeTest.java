package io.mlcycle.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.Task;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The check before a version becomes champion: the model, already loaded from storage (checksums
 * verified), scores a sample of the latest silver batch through the scoring path, and every row must get
 * a prediction (and, for classifiers, a probability between 0 and 1). A failure blocks the promotion.
 */
public final class SmokeTest {
  private SmokeTest() {}

  /** What the smoke test scored, and the decision threshold its arm decided at. */
  public record Outcome(String batchId, long rows, double threshold) {}

  /**
   * @param silver the silver table (pinned version)
   * @throws MlcycleException exit 4 naming what failed
   */
  public static Outcome run(BatchScorer scorer, BatchScorer.Arm arm, Dataset<Row> silver, ScoringSpec spec,
                            List<String> entityKey, Optional<String> eventTime, String source, String runId, Timestamp now) {
    String batch = BatchScorer.latestBatch(silver, eventTime)
        .orElseThrow(() -> blocked(arm, "there is no silver row to score a sample of; run ingest and validate"));
    Dataset<Row> inBatch = silver.where(col(FeaturePipeline.BATCH_ID).equalTo(batch));
    // The earliest rows of the batch, or without an event time the first by key: the same sample every run.
    List<String> order = eventTime.map(t -> List.of(t)).orElse(entityKey);
    Dataset<Row> sample = inBatch.orderBy(order.stream().map(ColumnNames::column).toArray(Column[]::new))
        .limit(spec.smokeRows());
    Dataset<Row> others = silver.where(col(FeaturePipeline.BATCH_ID).notEqual(batch));
    // Scoring that throws is not a verdict on the model: a usage error stays exit 2, a bug exit 1. Only what the
    // model's predictions show blocks the move as a failed gate (exit 4).
    Dataset<Row> scored = scorer.score(sample, others, arm, Optional.empty(), spec, entityKey, eventTime, source,
        runId, now);
    boolean classifier = arm.task() != Task.REGRESSION;
    Row result = scored.agg(count(lit(1)),
        sum(when(col("prediction").isNull().or(col("prediction").isNaN()), 1).otherwise(0)),
        sum(when(lit(classifier).and(col("probability").isNull().or(col("probability").isNaN())
            .or(col("probability").lt(0)).or(col("probability").gt(1))), 1).otherwise(0))).first();
    long rows = result.getLong(0);
    if (rows == 0) {
      throw blocked(arm, "scoring a sample of batch " + batch + " gave no rows");
    }
    if (result.getLong(1) > 0 || result.getLong(2) > 0) {
      throw blocked(arm, "scoring " + rows + " rows of batch " + batch + " gave " + result.getLong(1)
          + " missing predictions and " + result.getLong(2) + " missing or out-of-range probabilities");
    }
    return new Outcome(batch, rows, arm.threshold());
  }

  private static MlcycleException blocked(BatchScorer.Arm arm, String why) {
    return new MlcycleException(ExitCode.MODEL_GATE, "Cannot make " + arm.version().name() + " version "
        + arm.version().version() + " champion: its smoke test failed: " + why + ". The champion is unchanged.");
  }
}
