package io.mlcycle.scoring;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.mlcycle.features.CategoryFolding;
import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.features.FeatureVersion;
import io.mlcycle.features.StoredDefinitions;
import io.mlcycle.base.Errors;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.Task;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.training.ClassIndex;
import io.mlcycle.training.TrainingSpec;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores silver-shaped rows with the champion and, when there is one, the challenger: features through
 * the feature version each model was trained on (its stored definition and frozen categories, the same
 * code path as the feature table), then the model's own feature stages. The arm of a row is a stable hash
 * of the canary columns, so an entity always lands in the same arm, run after run.
 */
public final class BatchScorer {
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";
  public static final String SHADOW = "shadow";
  /** Per categorical feature, 1 when the row's category was outside the feature version's frozen ones. */
  public static final String UNSEEN_PREFIX = "_unseen_";
  /** Multiclass: each class's probability, by class name. */
  public static final String CLASS_PROBABILITIES = "class_probabilities";
  private static final long ARM_BUCKETS = 10_000L;
  private static final String ARM_SALT = "mlcycle-canary";

  private final SparkSession spark;
  private final StoredDefinitions definitions;

  /** @param definitions how the feature versions' stored definitions are read back */
  public BatchScorer(SparkSession spark, StoredDefinitions definitions) {
    this.spark = spark;
    this.definitions = definitions;
  }

  /**
   * A model taking part in scoring, with the feature version and input columns it was trained on and, for a
   * binary model, the probability from which its prediction is positive.
   */
  public record Arm(String role, ModelRegistry.Version version, PipelineModel model, FeatureVersion features,
                    List<String> inputs, Task task, double threshold) {}

  /**
   * The prediction rows of {@code rows} (silver-shaped, with {@code _batch_id}), with one
   * {@value #UNSEEN_PREFIX}&lt;feature&gt; column per categorical feature for counting; {@code others} are
   * rows the windows may reach back into (silver without these rows).
   */
  public Dataset<Row> score(Dataset<Row> rows, Dataset<Row> others, Arm champion, java.util.Optional<Arm> challenger,
                            ScoringSpec spec, List<String> entityKey, java.util.Optional<String> eventTime, String source, String runId,
                            Timestamp scoredAt) {
    List<Dataset<Row>> parts = new ArrayList<>();
    Column toChallenger = pmod(xxhash64(canaryColumns(spec)), lit(ARM_BUCKETS))
        .lt(lit(Math.round(spec.canaryFraction() * ARM_BUCKETS)));
    if (challenger.isEmpty() || spec.mode().equals(ScoringSpec.CHAMPION_ONLY)) {
      parts.add(arm(champion, rows, others, null, entityKey, eventTime, source, runId, scoredAt));
    } else if (spec.mode().equals(ScoringSpec.SHADOW)) {
      parts.add(arm(champion, rows, others, null, entityKey, eventTime, source, runId, scoredAt));
      parts.add(arm(withRole(challenger.get(), SHADOW), rows, others, null, entityKey, eventTime, source, runId,
          scoredAt));
    } else {
      parts.add(arm(champion, rows, others, not(toChallenger), entityKey, eventTime, source, runId, scoredAt));
      parts.add(arm(challenger.get(), rows, others, toChallenger, entityKey, eventTime, source, runId, scoredAt));
    }
    List<String> unseen = new ArrayList<>();
    parts.forEach(p -> List.of(p.columns()).stream().filter(c -> c.startsWith(UNSEEN_PREFIX) && !unseen.contains(c))
        .forEach(unseen::add));
    return parts.stream().map(p -> withColumns(p, unseen)).reduce(Dataset::unionByName).orElseThrow();
  }

  private static Arm withRole(Arm arm, String role) {
    return new Arm(role, arm.version(), arm.model(), arm.features(), arm.inputs(), arm.task(), arm.threshold());
  }

  private static Column[] canaryColumns(ScoringSpec spec) {
    List<Column> columns = new ArrayList<>();
    columns.add(lit(ARM_SALT));
    spec.canaryBy().forEach(c -> columns.add(ColumnNames.column(c)));
    return columns.toArray(Column[]::new);
  }

  private Dataset<Row> arm(Arm arm, Dataset<Row> rows, Dataset<Row> others, Column selected, List<String> entityKey,
                           java.util.Optional<String> eventTime, String source, String runId, Timestamp scoredAt) {
    FeatureVersion version = arm.features();
    FeaturePipeline pipeline = FeaturePipeline.create(spark, definitions.of(version), rows.schema(), source,
        CategoryFolding.none(version.other()));
    Dataset<Row> armRows = selected == null ? rows : rows.where(selected);
    Dataset<Row> unfolded = pipeline.transformWithHistory(armRows, others);
    CategoryFolding folding = version.folding();
    for (Map.Entry<String, List<String>> feature : folding.kept().entrySet()) {
      Column value = col(feature.getKey());
      unfolded = unfolded.withColumn(UNSEEN_PREFIX + feature.getKey(),
          when(value.isNotNull().and(not(value.isin(feature.getValue().toArray()))), lit(1)).otherwise(lit(0)));
    }
    Dataset<Row> features = folding.apply(unfolded);
    for (String input : arm.inputs()) {
      if (!List.of(features.columns()).contains(input)) {
        throw Errors.usage("Cannot score with " + arm.version().name() + " version " + arm.version().version()
            + ": it reads the feature '" + input + "', which feature version " + version.version()
            + " does not compute. Retrain the model on the current features, or promote another version.");
      }
    }
    List<Column> columns = new ArrayList<>();
    ColumnNames.keyAndEventTime(entityKey, eventTime).forEach(c -> columns.add(ColumnNames.column(c)));
    columns.add((arm.task() == Task.BINARY
        ? when(probability(arm.task()).geq(lit(arm.threshold())), lit(1.0)).otherwise(lit(0.0))
        : col("prediction").cast("double")).as("prediction"));
    columns.add(probability(arm.task()).as("probability"));
    columns.addAll(classColumns(arm.model()));
    columns.add(lit(arm.version().name()).as("model_name"));
    columns.add(lit(arm.version().version()).as("model_version"));
    columns.add(lit(arm.role()).as("role"));
    columns.add(col(FeaturePipeline.BATCH_ID));
    columns.add(lit(scoredAt).as("scored_at"));
    columns.add(lit(runId).as("run_id"));
    folding.kept().keySet().forEach(f -> columns.add(col(UNSEEN_PREFIX + f)));
    return arm.model().transform(features).select(columns.toArray(Column[]::new));
  }

  /**
   * {@value ClassIndex#PREDICTED_CLASS}, the name of the predicted class, and {@value #CLASS_PROBABILITIES},
   * every class's probability by name (what realised log loss reads): a multiclass model's; null otherwise.
   */
  private static List<Column> classColumns(PipelineModel model) {
    return ClassIndex.of(model).map(classes -> List.of(col(ClassIndex.PREDICTED_CLASS),
        map_from_arrays(array(classes.stream().map(c -> lit(c)).toArray(Column[]::new)),
            functions.vector_to_array(col("probability"), "float64")).as(CLASS_PROBABILITIES)))
        .orElse(List.of(lit(null).cast("string").as(ClassIndex.PREDICTED_CLASS),
            lit(null).cast("map<string,double>").as(CLASS_PROBABILITIES)));
  }

  private static Column probability(Task task) {
    return switch (task) {
      case BINARY -> functions.vector_to_array(col("probability"), "float64").getItem(1);
      case MULTICLASS -> array_max(functions.vector_to_array(col("probability"), "float64"));
      case REGRESSION -> lit(null).cast("double");
    };
  }

  private static Dataset<Row> withColumns(Dataset<Row> part, List<String> unseen) {
    Dataset<Row> result = part;
    for (String column : unseen) {
      if (!List.of(part.columns()).contains(column)) {
        result = result.withColumn(column, lit(0));
      }
    }
    return result;
  }

  /**
   * The batch of the latest event time among silver-shaped rows, or the last batch id in order when there is
   * no event time; empty when there are no rows. One small job.
   */
  public static java.util.Optional<String> latestBatch(Dataset<Row> silver, java.util.Optional<String> eventTime) {
    Column order = eventTime.map(t -> ColumnNames.column(t).desc_nulls_last())
        .orElse(col(FeaturePipeline.BATCH_ID).desc());
    return silver.orderBy(order, col(FeaturePipeline.BATCH_ID).desc()).select(FeaturePipeline.BATCH_ID).limit(1)
        .collectAsList().stream().findFirst().map(r -> r.getString(0));
  }

  /** The prediction columns written to {@code predictions/<dataset>}: everything but the unseen flags. */
  public static Column[] predictionColumns(Dataset<Row> scored) {
    return List.of(scored.columns()).stream().filter(c -> !c.startsWith(UNSEEN_PREFIX)).map(c -> ColumnNames.column(c))
        .toArray(Column[]::new);
  }
}
