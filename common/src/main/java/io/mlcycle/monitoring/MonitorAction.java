package io.mlcycle.monitoring;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.dataset.KeyIssues;
import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.features.StoredDefinitions;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.PredictionsTable;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor stage: "predictions of one scored batch → each scoring version's drift against its frozen
 * reference ({@code _mlcycle/drift}) → realised performance once labels are in ({@code _mlcycle/performance})
 * → alerts → the jobs' health from {@code _mlcycle/runs}". Each table is written once per batch: a rerun
 * writes nothing.
 */
public final class MonitorAction {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorAction.class);

  private final StageRuntime runtime;
  private final MonitoringSpec spec;
  private final TrainingSpec training;
  private final String dataset;
  private final DriftRecorder drift;

  /**
   * @param training the model's name, entity key and label
   * @param definitions how the feature versions' stored definitions are read back, to recompute features
   * @param dataset the dataset whose predictions, features and silver table are read
   */
  public MonitorAction(StageRuntime runtime, MonitoringSpec spec, TrainingSpec training,
                       StoredDefinitions definitions, String dataset) {
    this.runtime = runtime;
    this.spec = spec;
    this.training = training;
    this.dataset = dataset;
    this.drift = new DriftRecorder(runtime, spec, training, definitions, dataset);
  }

  /** Monitors {@code batch}, or the latest scored batch when empty. */
  public MonitorResult execute(Optional<String> batch) {
    SparkSession spark = runtime.spark();
    PredictionsTable table = new PredictionsTable(spark, runtime.storage(), dataset);
    if (!table.exists()) {
      return MonitorResult.nothingToDo(Optional.empty(), "no predictions yet in " + table.path()
          + ": nothing to monitor");
    }
    String batchId = batch.orElseGet(() -> latestScored(table.rows()));
    Dataset<Row> predictions = table.batch(batchId);
    Map<Integer, String> roles = roles(predictions);
    if (roles.isEmpty()) {
      return MonitorResult.nothingToDo(Optional.of(batchId), "batch " + batchId + " has no predictions in "
          + table.path() + ": nothing to monitor");
    }
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      List<MonitorResult.VersionDrift> drifts = new ArrayList<>();
      versions(batchId, roles).forEach((version, role) ->
          drifts.add(drift.record(version, role, batchId, table.rows())));
      List<String> alerts = new ArrayList<>();
      drifts.forEach(d -> d.report().flatMap(DriftReport::alert)
          .ifPresent(a -> alerts.add("version " + d.version() + ": " + a)));
      MonitorResult.Performance performance = performance(batchId, predictions, roles.keySet());
      KeyIssues.Counts keys = KeyIssues.count(predictions, training.entityKey(), List.of("model_version", "role"));
      List<String> warnings = keys.warning(training.entityKey(), "predictions of batch " + batchId).stream().toList();
      warnings.forEach(w -> LOG.warn("monitor {} batch {}: {}", training.name(), batchId, w));
      performance.report().ifPresent(r -> alerts.addAll(championAlerts(r)));
      List<SystemHealth.JobHealth> health = SystemHealth.of(new TrackingTables(spark, runtime.storage())
          .read(TrackingTables.RUNS));
      alerts.forEach(a -> LOG.warn("ALERT {} batch {}: {}", training.name(), batchId, a));
      return new MonitorResult(Optional.of(batchId), Optional.empty(), drifts, performance, health, alerts, keys,
          warnings, jobs.jobs());
    }
  }

  private static String latestScored(Dataset<Row> predictions) {
    List<Row> latest = predictions.orderBy(col("scored_at").desc(), col(FeaturePipeline.BATCH_ID).desc())
        .select(FeaturePipeline.BATCH_ID).limit(1).collectAsList();
    return latest.isEmpty() ? "" : latest.get(0).getString(0);
  }

  /** The model versions that scored the batch, in order, each with its role (its first, had it two). */
  private static Map<Integer, String> roles(Dataset<Row> predictions) {
    Map<Integer, String> roles = new TreeMap<>();
    predictions.select("model_version", "role").distinct().orderBy("model_version", "role").collectAsList()
        .forEach(r -> roles.putIfAbsent(r.getInt(0), r.getString(1)));
    return roles;
  }

  /** The registry's record of each version, with its role; exits 2, before measuring anything, when one is missing. */
  private Map<ModelRegistry.Version, String> versions(String batchId, Map<Integer, String> roles) {
    ModelRegistry registry = new ModelRegistry(runtime.spark(), runtime.storage());
    Map<ModelRegistry.Version, String> versions = new LinkedHashMap<>();
    roles.forEach((number, role) -> versions.put(registry.version(training.name(), number).orElseThrow(() ->
        Errors.usage("Cannot monitor batch " + batchId + ": its predictions name " + training.name()
            + " version " + number + ", which the registry does not have.")), role));
    return versions;
  }

  /** Realised metrics of the batch's predictions from the labels now in the feature table, per version and role. */
  private MonitorResult.Performance performance(String batchId, Dataset<Row> predictions,
                                                java.util.Set<Integer> versions) {
    SparkSession spark = runtime.spark();
    String featuresPath = runtime.storage().features(dataset);
    if (!DeltaTables.exists(spark, featuresPath)) {
      return new MonitorResult.Performance(MonitorResult.Labels.NO_FEATURE_TABLE, Optional.empty(), Optional.empty());
    }
    Dataset<Row> labelled = spark.read().format("delta").load(featuresPath)
        .where(col(FeaturePipeline.BATCH_ID).equalTo(batchId));
    Dataset<Row> labels = LabelArrivals.of(labelled, bronze(), training.entityKey(), training.label(), spec.slices());
    RealisedPerformance.Report report = Steps.timed(LOG, "monitor: realised performance of " + batchId,
        () -> new RealisedPerformance(training.task(), training.entityKey(), training.label(), spec.slices(),
            spec.worstSlices(), spec.minSliceRows(), residualDeciles(versions)).measure(predictions, labels));
    if (report.versions().stream().allMatch(v -> v.labelled() == 0)) {
      return new MonitorResult.Performance(MonitorResult.Labels.NOT_YET, Optional.empty(), Optional.empty());
    }
    long tableVersion = PerformanceTable.write(spark, runtime.storage(), training.name(), batchId, report,
        runtime.runId(), runtime.clock().instant());
    return new MonitorResult.Performance(MonitorResult.Labels.MEASURED, Optional.of(report),
        Optional.of(tableVersion));
  }

  /**
   * Regression: the held-out residual deciles each scoring version's training run recorded, by version (the
   * bins of residual drift); empty for classifiers. One small read of the metrics table.
   */
  private Map<Integer, double[]> residualDeciles(java.util.Set<Integer> versions) {
    if (training.task() != io.mlcycle.metrics.Task.REGRESSION) {
      return Map.of();
    }
    ModelRegistry registry = new ModelRegistry(runtime.spark(), runtime.storage());
    Map<String, Integer> byRun = new LinkedHashMap<>();
    versions.forEach(v -> registry.version(training.name(), v).ifPresent(r -> byRun.put(r.runId(), v)));
    Map<Integer, double[]> deciles = new TreeMap<>();
    new TrackingTables(runtime.spark(), runtime.storage()).residualDeciles(training.name(), byRun.keySet())
        .forEach((run, values) -> deciles.put(byRun.get(run), values));
    return deciles;
  }

  /** The bronze table, whose ingest times tell when labels arrived; empty when there is none. */
  private Dataset<Row> bronze() {
    String bronzePath = runtime.storage().bronze(dataset);
    return DeltaTables.exists(runtime.spark(), bronzePath)
        ? runtime.spark().read().format("delta").load(bronzePath)
        : runtime.spark().createDataFrame(List.of(), new StructType()
            .add(LabelArrivals.BATCH_ID, "string").add(LabelArrivals.INGESTED_AT, "timestamp"));
  }

  /** The champion's realised metrics below their floor or above their ceiling. */
  private List<String> championAlerts(RealisedPerformance.Report report) {
    List<String> alerts = new ArrayList<>();
    report.versions().stream().filter(v -> v.role().equals("champion")).forEach(v -> {
      Map<String, Double> metrics = v.metrics();
      spec.floors().forEach((metric, floor) -> {
        Double value = metrics.get(metric);
        if (value != null && value < floor) {
          alerts.add(String.format("realised %s of the champion (version %d) is %.4f, below its floor %.4f", metric,
              v.modelVersion(), value, floor));
        }
      });
      spec.ceilings().forEach((metric, ceiling) -> {
        Double value = metrics.get(metric);
        if (value != null && value > ceiling) {
          alerts.add(String.format("realised %s of the champion (version %d) is %.4f, above its ceiling %.4f",
              metric, v.modelVersion(), value, ceiling));
        }
      });
    });
    return alerts;
  }
}
