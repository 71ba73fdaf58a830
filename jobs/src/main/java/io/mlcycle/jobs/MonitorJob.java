package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.features.FeatureVersion;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.Errors;
import io.mlcycle.base.Steps;
import io.mlcycle.base.TextTable;
import io.mlcycle.monitoring.BatchDrift;
import io.mlcycle.monitoring.DriftReport;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.monitoring.FeatureDrift;
import io.mlcycle.monitoring.LabelArrivals;
import io.mlcycle.monitoring.MonitoringSpec;
import io.mlcycle.monitoring.PerformanceTable;
import io.mlcycle.monitoring.PredictionReference;
import io.mlcycle.monitoring.RealisedPerformance;
import io.mlcycle.monitoring.ReferenceBins;
import io.mlcycle.monitoring.SystemHealth;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.ModelArms;
import io.mlcycle.scoring.PredictionsTable;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One scored batch: drift of its features and predictions against each scoring model's frozen reference,
 * realised performance once its labels are in, alerts, and the system's health from the runs table.
 */
@Command(name = "monitor", description = "Measure a scored batch: feature and prediction drift against the model's "
    + "reference, realised performance from late labels, alerts, and the health of the jobs.")
final class MonitorJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorJob.class);

  @Option(names = "--batch", paramLabel = "ID", description = "The scored batch to monitor (default: the latest scored).")
  String batch;

  /** What the last run measured, for the demo's table. */
  Outcome outcome;

  /** The drift share and top drifted features of the champion, and realised AUC by role. */
  record Outcome(String batchId, double driftShare, List<String> topDrifted, Map<String, Double> aucByRole,
                 List<String> alerts) {}

  @Override
  public void run(JobContext context) {
    SparkSession spark = context.spark();
    TrainingSpec training = context.pipeline().training();
    MonitoringSpec spec = context.pipeline().monitoring();
    String dataset = context.pipeline().name();
    String predictionsPath = new PredictionsTable(spark, context.storage(), dataset).path();
    if (!DeltaTables.exists(spark, predictionsPath)) {
      context.summary().nothingToDo("no predictions yet in " + predictionsPath + ": nothing to monitor");
      return;
    }
    Dataset<Row> allPredictions = spark.read().format("delta").load(predictionsPath);
    String batchId = batch != null ? batch : latestScored(allPredictions);
    Dataset<Row> predictions = allPredictions.where(col(FeaturePipeline.BATCH_ID).equalTo(batchId));
    Map<Integer, String> roles = new java.util.TreeMap<>();
    predictions.select("model_version", "role").distinct().orderBy("model_version", "role").collectAsList()
        .forEach(r -> roles.putIfAbsent(r.getInt(0), r.getString(1)));
    context.summary().count("batch", batchId);
    if (roles.isEmpty()) {
      context.summary().nothingToDo("batch " + batchId + " has no predictions in " + predictionsPath
          + ": nothing to monitor");
      return;
    }
    ModelRegistry registry = new ModelRegistry(spark, context.storage());
    List<String> alerts = new ArrayList<>();
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      DriftReport championDrift = null;
      for (Map.Entry<Integer, String> arm : roles.entrySet()) {
        ModelRegistry.Version version = registry.version(training.name(), arm.getKey()).orElseThrow(() ->
            Errors.usage("Cannot monitor batch " + batchId + ": its predictions name " + training.name()
                + " version " + arm.getKey() + ", which the registry does not have."));
        Optional<DriftReport> report = drift(context, spec, training, dataset, version, batchId, allPredictions);
        if (report.isPresent() && !arm.getValue().equals("challenger")) {
          championDrift = report.get();
        }
        report.flatMap(DriftReport::alert).ifPresent(a -> alerts.add("version " + version.version() + ": " + a));
      }
      Map<String, Double> aucByRole = performance(context, spec, training, dataset, batchId, predictions, alerts);
      health(context, spark);
      alerts.forEach(a -> LOG.warn("ALERT {} batch {}: {}", training.name(), batchId, a));
      alerts.forEach(a -> context.out().println("ALERT: " + a));
      double share = championDrift == null ? Double.NaN : championDrift.share();
      List<String> top = championDrift == null ? List.of() : championDrift.features().stream()
          .filter(FeatureDrift::drifted).sorted(Comparator.comparingDouble(FeatureDrift::psi).reversed()).limit(3)
          .map(f -> f.feature() + String.format(" (PSI %.2f)", f.psi())).toList();
      outcome = new Outcome(batchId, share, top, aucByRole, alerts);
      context.summary()
          .count("drift_share", Double.isNaN(share) ? -1 : Math.round(share * 1e4) / 1e4)
          .count("alerts", alerts.size())
          .count("spark_jobs", jobs.jobs())
          .message("monitored batch " + batchId + ": drift share " + (Double.isNaN(share) ? "n/a"
              : String.format("%.2f", share)) + (alerts.isEmpty() ? ", no alert" : "; ALERT: "
              + String.join("; ", alerts)));
    }
  }

  private static String latestScored(Dataset<Row> predictions) {
    List<Row> latest = predictions.orderBy(col("scored_at").desc(), col(FeaturePipeline.BATCH_ID).desc())
        .select(FeaturePipeline.BATCH_ID).limit(1).collectAsList();
    return latest.isEmpty() ? "" : latest.get(0).getString(0);
  }

  /**
   * The batch's drift for one model version, against the reference bins of the feature version it was
   * trained on (features recomputed through that version, as scoring did) and its first scored batch.
   * Recorded once per version and batch: a rerun reads nothing new.
   */
  private static Optional<DriftReport> drift(JobContext context, MonitoringSpec spec, TrainingSpec training,
                                             String dataset, ModelRegistry.Version version, String batchId,
                                             Dataset<Row> allPredictions) {
    SparkSession spark = context.spark();
    if (DriftTable.recorded(spark, context.storage(), training.name(), version.version(), batchId)) {
      context.out().printf("Drift of batch %s for version %d: already recorded%n", batchId, version.version());
      return Optional.empty();
    }
    FeatureVersion features = ModelArms.featureVersion(spark, context.storage(), dataset, version);
    List<ReferenceBins> reference = BatchDrift.featureReference(spark, context.storage(), dataset, features.version(),
        training.name(), version.version());
    Dataset<Row> versionPredictions = allPredictions.where(col("model_version").equalTo(version.version()));
    Optional<ReferenceBins> predictionReference = PredictionReference.firstBatch(versionPredictions, "probability",
        spec.predictionBins());
    List<org.apache.spark.sql.Column> scoredColumns = new ArrayList<>();
    training.entityKey().forEach(k -> scoredColumns.add(col(k)));
    scoredColumns.add(col("probability"));
    Dataset<Row> scored = versionPredictions.where(col(FeaturePipeline.BATCH_ID).equalTo(batchId))
        .select(scoredColumns.toArray(org.apache.spark.sql.Column[]::new));
    BatchDrift measure = new BatchDrift(reference, predictionReference, spec.drift());
    String step = "monitor: drift of " + batchId + " for version " + version.version();
    Optional<Dataset<Row>> computed = computedFeatures(context, dataset, features, batchId);
    DriftReport report = computed.isEmpty() ? null
        : Steps.timed(LOG, step, () -> measure.measure(computed.get().join(scored, keys(training))));
    if (report == null || report.rows() == 0) {
      Dataset<Row> silver = spark.read().format("delta").load(context.storage().silver(dataset));
      Dataset<Row> recomputed = FeaturePipeline.create(spark, context.pipeline().storedDefinitions().of(features),
          silver.schema(), "silver/" + dataset, features.folding()).transformBatches(silver, List.of(batchId));
      report = Steps.timed(LOG, step + " (features recomputed)", () -> measure.measure(
          recomputed.join(scored, keys(training))));
    }
    DriftTable.write(spark, context.storage(), training.name(), version.version(), batchId, report, context.runId(),
        context.clock().instant());
    print(context, version, batchId, report);
    return Optional.of(report);
  }

  /**
   * The batch's rows of the feature table under the model's feature version (what the features job
   * computed through the same code path scoring uses); none when the job has not computed them yet.
   */
  private static Optional<Dataset<Row>> computedFeatures(JobContext context, String dataset,
                                                         FeatureVersion features, String batchId) {
    String table = context.storage().features(dataset);
    if (!DeltaTables.exists(context.spark(), table)) {
      return Optional.empty();
    }
    return Optional.of(context.spark().read().format("delta").load(table)
        .where(col(FeaturePipeline.BATCH_ID).equalTo(batchId)
            .and(col(io.mlcycle.features.FeatureTableUpdate.FEATURE_HASH).equalTo(features.hash()))));
  }

  private static scala.collection.immutable.Seq<String> keys(TrainingSpec training) {
    return scala.jdk.javaapi.CollectionConverters.asScala(training.entityKey()).toSeq();
  }

  private static void print(JobContext context, ModelRegistry.Version version, String batchId, DriftReport report) {
    context.out().printf("Drift of batch %s (%d rows) against the reference of version %d: %d of %d features drifted"
            + " (share %.2f)%s%n", batchId, report.rows(), version.version(), report.drifted(), report.features().size(),
        report.share(), report.prediction().map(p -> String.format("; prediction PSI %.3f", p.psi())).orElse(""));
    TextTable table = new TextTable("feature", "kind", "PSI", "KS", "chi2 p", "JS", "drifted");
    report.features().stream().sorted(Comparator.comparingDouble(FeatureDrift::psi).reversed()).limit(8)
        .forEach(f -> table.row(f.feature(), f.kind(), format(f.psi()), format(f.ks()), format(f.chi2PValue()),
            format(f.js()), f.drifted() ? "yes" : ""));
    table.print(context.out());
  }

  /** Realised metrics of the batch's predictions from the labels now in the feature table, per version and role. */
  private static Map<String, Double> performance(JobContext context, MonitoringSpec spec, TrainingSpec training,
                                                 String dataset, String batchId, Dataset<Row> predictions,
                                                 List<String> alerts) {
    SparkSession spark = context.spark();
    String featuresPath = context.storage().features(dataset);
    Map<String, Double> aucByRole = new java.util.TreeMap<>();
    if (!DeltaTables.exists(spark, featuresPath)) {
      context.out().println("Realised performance: no labels yet (no feature table)");
      return aucByRole;
    }
    Dataset<Row> labelled = spark.read().format("delta").load(featuresPath)
        .where(col(FeaturePipeline.BATCH_ID).equalTo(batchId));
    String bronzePath = context.storage().bronze(dataset);
    Dataset<Row> bronze = DeltaTables.exists(spark, bronzePath) ? spark.read().format("delta").load(bronzePath)
        : spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
            .add(LabelArrivals.BATCH_ID, "string").add(LabelArrivals.INGESTED_AT, "timestamp"));
    Dataset<Row> labels = LabelArrivals.of(labelled, bronze, training.entityKey(), training.label(), spec.slices());
    RealisedPerformance.Report report = Steps.timed(LOG, "monitor: realised performance of " + batchId,
        () -> new RealisedPerformance(training.entityKey(), training.label(), spec.slices(), spec.worstSlices(),
            spec.minSliceRows()).measure(predictions, labels));
    if (report.versions().stream().allMatch(v -> v.labelled() == 0)) {
      context.out().printf("Realised performance of batch %s: no labels yet%n", batchId);
      return aucByRole;
    }
    PerformanceTable.write(spark, context.storage(), training.name(), batchId, report, context.runId(),
        context.clock().instant());
    context.out().printf("Realised performance of batch %s (labels joined to predictions; %d labels matched no"
        + " prediction):%n", batchId, report.unmatchedLabels());
    TextTable table = new TextTable("role", "version", "predicted", "labelled", "coverage", "AUC", "log loss",
        "accuracy");
    for (RealisedPerformance.VersionPerformance v : report.versions()) {
      table.row(v.role(), v.modelVersion(), v.predicted(), v.labelled(), String.format("%.2f", v.coverage()),
          format(v.metrics().get(RealisedPerformance.AUC)), format(v.metrics().get(RealisedPerformance.LOG_LOSS)),
          format(v.metrics().get(RealisedPerformance.ACCURACY)));
      aucByRole.put(v.role() + " v" + v.modelVersion(), v.metrics().get(RealisedPerformance.AUC));
      if (v.role().equals("champion")) {
        spec.floors().forEach((metric, floor) -> {
          Double value = v.metrics().get(metric);
          if (value != null && value < floor) {
            alerts.add(String.format("realised %s of the champion (version %d) is %.4f, below its floor %.4f", metric,
                v.modelVersion(), value, floor));
          }
        });
        spec.ceilings().forEach((metric, ceiling) -> {
          Double value = v.metrics().get(metric);
          if (value != null && value > ceiling) {
            alerts.add(String.format("realised %s of the champion (version %d) is %.4f, above its ceiling %.4f",
                metric, v.modelVersion(), value, ceiling));
          }
        });
      }
    }
    table.print(context.out());
    context.summary().count("unmatched_labels", report.unmatchedLabels());
    return aucByRole;
  }

  private static void health(JobContext context, SparkSession spark) {
    List<SystemHealth.JobHealth> health = SystemHealth.of(new TrackingTables(spark, context.storage())
        .read(TrackingTables.RUNS));
    if (health.isEmpty()) {
      return;
    }
    context.out().println("System health (_mlcycle/runs):");
    TextTable table = new TextTable("job", "runs", "failures", "failure rate", "median s", "last s", "last status",
        "rows processed");
    health.forEach(h -> table.row(h.job(), h.runs(), h.failures(), String.format("%.2f", h.failureRate()),
        String.format("%.1f", h.medianSeconds()), String.format("%.1f", h.lastSeconds()), h.lastStatus(),
        h.rowsProcessed()));
    table.print(context.out());
  }

  private static String format(Double value) {
    return value == null || value.isNaN() ? "" : String.format("%.3f", value);
  }
}
