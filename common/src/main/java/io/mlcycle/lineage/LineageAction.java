package io.mlcycle.lineage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.evaluation.GateLog;
import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.monitoring.DecisionsTable;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.monitoring.PerformanceTable;
import io.mlcycle.monitoring.RealisedPerformance;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import io.mlcycle.quality.QualityLog;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.PredictionsTable;
import io.mlcycle.tracking.TrackingTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lineage stage: "registry version → its training run's recorded lineage → the batches, quality
 * outcomes and table versions it was built from → what it scored, with drift, realised performance and
 * the retrain decision that made it". Reads only; writes nothing.
 */
public final class LineageAction {
  private final StageRuntime runtime;
  private final String dataset;

  /** @param dataset the dataset whose tables the model was trained on and scored */
  public LineageAction(StageRuntime runtime, String dataset) {
    this.runtime = runtime;
    this.dataset = dataset;
  }

  /** The chain of {@code name} version {@code number}; exits 2 when the registry has no such version. */
  public ModelLineage execute(String name, int number) {
    ModelRegistry registry = new ModelRegistry(runtime.spark(), runtime.storage());
    ModelRegistry.Version version = registry.required(name, number, "show the lineage of " + name + ":" + number);
    TrackingTables tracking = new TrackingTables(runtime.spark(), runtime.storage());
    Map<String, Map<String, String>> lineage = tracking.lineage(name, version.runId());
    Map<String, String> params = tracking.params(name, version.runId());
    Task task = Task.recorded(Optional.ofNullable(params.get("task")));
    Metric metric = task.selection(Optional.ofNullable(params.get("metric")));
    Map<String, String> tables = lineage.getOrDefault("table", Map.of());
    Map<String, String> definitions = lineage.getOrDefault("feature_definitions", Map.of());
    String featuresVersion = tables.getOrDefault("features/" + dataset, "?");
    ModelLineage.FeatureLink features = new ModelLineage.FeatureLink(definitions.getOrDefault("version", "?"),
        definitions.getOrDefault("hash", "?"), tables.getOrDefault("silver/" + dataset, "?"), featuresVersion);
    Map<String, String> hashes = lineage.getOrDefault("hash", Map.of());
    ModelLineage.TrainingLink training = new ModelLineage.TrainingLink(version.runId(), task, metric,
        hashes.getOrDefault("config", "?"), hashes.getOrDefault("fold_assignment", "?"),
        lineage.getOrDefault("split", Map.of()), lineage.getOrDefault("version", Map.of()));
    List<String> aliases = registry.aliases(name).entrySet().stream().filter(e -> e.getValue() == number)
        .map(Map.Entry::getKey).toList();
    List<ModelRegistry.AliasMove> moves = registry.history(name).stream()
        .filter(m -> Integer.valueOf(number).equals(m.version()) || Integer.valueOf(number).equals(m.previousVersion()))
        .toList();
    return new ModelLineage(version, registry.modelsPath(), batches(featuresVersion), features, training,
        gates(name, version.runId()), aliases, moves,
        predictions(name, number, RealisedPerformance.measured(task, metric)), decisions(name, number));
  }

  private Optional<Dataset<Row>> table(String path) {
    SparkSession spark = runtime.spark();
    return DeltaTables.exists(spark, path) ? Optional.of(spark.read().format("delta").load(path)) : Optional.empty();
  }

  /** Per batch of the training feature table: raw files, bronze and silver versions, rows failing rules. */
  private Optional<List<ModelLineage.BatchLink>> batches(String featuresVersion) {
    String features = runtime.storage().features(dataset);
    if (featuresVersion.equals("?") || !DeltaTables.exists(runtime.spark(), features)) {
      return Optional.empty();
    }
    List<String> batches = runtime.spark().read().format("delta")
        .option("versionAsOf", Long.parseLong(featuresVersion)).load(features)
        .select(FeaturePipeline.BATCH_ID).distinct().orderBy(FeaturePipeline.BATCH_ID)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    Map<String, String> files = new LinkedHashMap<>();
    runtime.spark().read().format("delta").load(runtime.storage().bronze(dataset))
        .where(col(FeaturePipeline.BATCH_ID).isin(batches.toArray()))
        .groupBy(FeaturePipeline.BATCH_ID).agg(collect_set("_source_file")).collectAsList()
        .forEach(r -> files.put(r.getString(0), String.join(", ", r.<String>getList(1))));
    Map<String, ModelLineage.Quality> quality = quality(batches);
    return Optional.of(batches.stream().map(b -> new ModelLineage.BatchLink(b, files.getOrDefault(b, "?"),
        Optional.ofNullable(quality.get(b)))).toList());
  }

  private Map<String, ModelLineage.Quality> quality(List<String> batches) {
    Map<String, ModelLineage.Quality> quality = new LinkedHashMap<>();
    table(runtime.storage().system(QualityLog.TABLE)).ifPresent(t -> t
        .where(col("dataset").equalTo(dataset).and(col("batch_id").isin(batches.toArray())))
        .groupBy("batch_id")
        .agg(max(when(col("stage").equalTo("ingest"), col("table_version"))),
            max(when(col("stage").equalTo("validate"), col("table_version"))),
            sum(when(col("stage").equalTo("validate").and(col("status").notEqual("passed")), col("failed_rows"))
                .otherwise(lit(0))), count(lit(1)))
        .collectAsList().forEach(r -> quality.put(r.getString(0), new ModelLineage.Quality(
            r.isNullAt(1) ? Optional.empty() : Optional.of(r.getLong(1)),
            r.isNullAt(2) ? Optional.empty() : Optional.of(r.getLong(2)), r.getLong(3), r.getLong(4)))));
    return quality;
  }

  /** The evaluation's decisions about the training run, one per champion it was gated against. */
  private List<ModelLineage.GateDecision> gates(String name, String runId) {
    return table(runtime.storage().system(GateLog.TABLE)).map(t -> t
        .where(col("model").equalTo(name).and(col("candidate_run_id").equalTo(runId))
            .and(col("gate").equalTo("decision")))
        .select("champion_version", "value", "threshold", "decision").collectAsList().stream()
        .map(r -> new ModelLineage.GateDecision(r.isNullAt(0) ? Optional.<Integer>empty() : Optional.of(r.getInt(0)),
            Math.round(r.getDouble(1)), Math.round(r.getDouble(2)), r.getString(3)))
        .toList()).orElse(List.of());
  }

  /** Per batch and role the version scored: predictions, recorded drift and the realised metrics. */
  private Optional<ModelLineage.Predictions> predictions(String name, int number, List<Metric> realisedOrder) {
    PredictionsTable table = new PredictionsTable(runtime.spark(), runtime.storage(), dataset);
    if (!table.exists()) {
      return Optional.empty();
    }
    Map<String, DriftTable.BatchShare> drift = new LinkedHashMap<>();
    // Every measured feature, monitor = false ones included: the lineage shows what was measured.
    DriftTable.history(runtime.spark(), runtime.storage(), name, number, Set.of())
        .forEach(b -> drift.put(b.batchId(), b));
    Map<String, List<ModelLineage.RealisedMetric>> realised = realised(name, number, realisedOrder);
    List<ModelLineage.ScoredBatch> batches = table.rows()
        .where(col("model_version").equalTo(number))
        .groupBy(FeaturePipeline.BATCH_ID, "role").count().orderBy(FeaturePipeline.BATCH_ID).collectAsList().stream()
        .map(b -> new ModelLineage.ScoredBatch(b.getString(0), b.getString(1), b.getLong(2),
            Optional.ofNullable(drift.get(b.getString(0))), realised.getOrDefault(b.getString(0), List.of())))
        .toList();
    return Optional.of(new ModelLineage.Predictions(table.version(), batches));
  }

  /** Per batch, the version's realised metrics on all its labels (no slice), per role, in {@code order}. */
  private Map<String, List<ModelLineage.RealisedMetric>> realised(String name, int number, List<Metric> order) {
    Map<String, List<ModelLineage.RealisedMetric>> realised = new LinkedHashMap<>();
    table(runtime.storage().system(PerformanceTable.TABLE)).ifPresent(t -> t
        .where(col("model").equalTo(name).and(col("model_version").equalTo(number)).and(col("slice").isNull())
            .and(col("metric").isin(order.stream().map(Metric::id).toArray())))
        .select("batch_id", "role", "metric", "value", "labelled_rows").collectAsList().stream()
        .sorted(Comparator.comparing((Row r) -> r.getString(1))
            .thenComparing(r -> order.indexOf(Metric.named(r.getString(2)))))
        .forEach(r -> realised.computeIfAbsent(r.getString(0), b -> new ArrayList<>())
            .add(new ModelLineage.RealisedMetric(r.getString(1), Metric.named(r.getString(2)), r.getDouble(3),
                r.getLong(4)))));
    return realised;
  }

  private List<ModelLineage.RetrainLink> decisions(String name, int number) {
    return table(runtime.storage().system(DecisionsTable.TABLE)).map(t -> t
        .where(col("model").equalTo(name).and(col("new_model_version").equalTo(number)))
        .select("decided_at", "decision", "trigger", "reason").collectAsList().stream()
        .map(r -> new ModelLineage.RetrainLink(r.getTimestamp(0), r.getString(1), r.getString(2), r.getString(3)))
        .toList()).orElse(List.of());
  }
}
