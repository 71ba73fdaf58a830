package io.mlcycle.training;

import static org.apache.spark.sql.functions.max;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.spark.RuntimeVersions;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.tracking.TrackingTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-validated training on a pinned version of a dataset's feature table: guards, leak check, grid
 * search, holdout; then the model (with its lineage) is saved under the run id and the run's params,
 * metrics and lineage are tracked. A rerun of a run that saved its model has nothing to do.
 */
public final class TrainAction {
  private static final Logger LOG = LoggerFactory.getLogger(TrainAction.class);

  private final StageRuntime runtime;
  private final TrainingSpec spec;
  private final String dataset;
  private final String configHash;
  private final Optional<HeldOutMetrics.DecisionValue> thresholdValue;

  /**
   * @param configHash the hash of the settings the run was given, recorded in its lineage
   * @param thresholdValue what the decisions of a threshold are worth, when the run should choose the
   *     decision threshold that maximises it on the validation folds; empty to choose none
   */
  public TrainAction(StageRuntime runtime, TrainingSpec spec, String dataset, String configHash,
                     Optional<HeldOutMetrics.DecisionValue> thresholdValue) {
    this.runtime = runtime;
    this.spec = spec;
    this.dataset = dataset;
    this.configHash = configHash;
    this.thresholdValue = thresholdValue;
  }

  /** Trains on {@code featuresVersion} of the feature table (the latest when empty). */
  public TrainResult execute(Optional<Long> featuresVersion) {
    SparkSession spark = runtime.spark();
    String table = runtime.storage().features(dataset);
    long version = pinned(table, featuresVersion);
    String modelPath = runtime.storage().model(spec.name(), runtime.runId());
    if (ModelArtifact.exists(spark, modelPath)) {
      return new TrainResult(runtime.runId(), Lineage.featuresTable(dataset), version, modelPath, Optional.empty());
    }
    Dataset<Row> features = spark.read().format("delta").option("versionAsOf", version).load(table);
    requireColumns(features, table);
    long start = System.nanoTime();
    Dataset<Row> split = cached(DataSplit.assign(features, spec), spark);
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      TrainResult.Run run = train(split, version, modelPath, jobs, start);
      return new TrainResult(runtime.runId(), Lineage.featuresTable(dataset), version, modelPath, Optional.of(run));
    } finally {
      split.unpersist();
    }
  }

  private TrainResult.Run train(Dataset<Row> split, long version, String modelPath, SparkJobCounter jobs,
                                long start) {
    Dataset<Row> training = split.filter("not " + DataSplit.TEST + " and " + spec.label() + " is not null");
    TrainingGuards.Facts facts = Steps.timed(LOG, "train: guards", () -> TrainingGuards.check(training, spec));
    Map<String, Double> leak = spec.task() == TrainingSpec.Task.BINARY
        ? Steps.timed(LOG, "train: leak check", () -> LeakCheck.check(training, spec)) : Map.of();
    ModelTrainer.Trained trained = ModelTrainer.train(split, spec);
    Lineage lineage = new Lineage(dataset, version, origin(split), configHash, facts.foldFingerprint(),
        RuntimeVersions.of(runtime.spark()), Lineage.Split.of(spec));
    Steps.timed(LOG, "train: save model", () -> writeModel(trained, modelPath,
        new ModelArtifact.Description(spec.name(), runtime.runId(), new LinkedHashMap<>(lineage.entries()),
            new LinkedHashMap<>(trained.holdout()))));
    Optional<Double> threshold = threshold(trained);
    TrainResult.Written written = Steps.timed(LOG, "train: record tracking",
        () -> record(trained, lineage, leak, threshold));
    return new TrainResult.Run(trained, lineage, threshold, written, jobs.jobs(), (System.nanoTime() - start) / 1e9);
  }

  private long pinned(String table, Optional<Long> requested) {
    long latest = DeltaTables.version(runtime.spark(), table);
    if (latest == DeltaTables.NO_TABLE) {
      throw Errors.missingInput("feature table", table + " (run 'mlcycle features' first)");
    }
    long version = requested.orElse(latest);
    if (version < 0 || version > latest) {
      throw Errors.usage("Cannot train on version " + version + " of " + table + ": its versions are 0.." + latest
          + ". Pass an existing --features-version, or leave it out for the latest.");
    }
    return version;
  }

  /**
   * The pinned feature rows with their split, read once: guards, leak check, feature stages, packing and
   * holdout all read this cache instead of decoding the table again, on at least one partition per core.
   */
  private static Dataset<Row> cached(Dataset<Row> split, SparkSession spark) {
    int cores = spark.sparkContext().defaultParallelism();
    Dataset<Row> spread = split.rdd().getNumPartitions() < cores ? split.repartition(cores) : split;
    return spread.persist(StorageLevel.MEMORY_AND_DISK());
  }

  private Map<String, Object> writeModel(ModelTrainer.Trained trained, String path, ModelArtifact.Description about) {
    try {
      return ModelArtifact.write(runtime.spark(), trained.model(), path, about, runtime.clock());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the model to " + path, e);
    }
  }

  private void requireColumns(Dataset<Row> features, String table) {
    List<String> needed = new ArrayList<>(spec.inputs());
    needed.add(spec.label());
    needed.addAll(spec.entityKey());
    List<String> present = List.of(features.columns());
    for (String column : needed) {
      if (!present.contains(column)) {
        throw Errors.usage("Cannot train on " + table + ": it has no column '" + column + "' (named in pipeline.model"
            + " or pipeline.entity-key). Its columns are " + present + ".");
      }
    }
  }

  /** The feature definitions and silver version the feature rows record, when they record them. */
  private static Optional<Lineage.FeatureOrigin> origin(Dataset<Row> features) {
    if (!List.of(features.columns()).containsAll(List.of(FeatureTableUpdate.FEATURE_HASH,
        FeatureTableUpdate.FEATURE_VERSION, FeatureTableUpdate.SILVER_VERSION))) {
      return Optional.empty();
    }
    Row row = features.agg(max(FeatureTableUpdate.FEATURE_HASH), max(FeatureTableUpdate.FEATURE_VERSION),
        max(FeatureTableUpdate.SILVER_VERSION)).first();
    return Optional.of(new Lineage.FeatureOrigin(String.valueOf(row.get(0)), String.valueOf(row.get(1)),
        String.valueOf(row.get(2))));
  }

  /** The decision threshold worth the most on the chosen model's validation folds, when asked for. */
  private Optional<Double> threshold(ModelTrainer.Trained trained) {
    if (thresholdValue.isEmpty() || trained.validation().isEmpty()) {
      return Optional.empty();
    }
    double threshold = HeldOutMetrics.bestThreshold(trained.validation(), thresholdValue.get());
    LOG.info("train: threshold {} maximises the business value on the validation folds",
        String.format("%.4f", threshold));
    return Optional.of(threshold);
  }

  private TrainResult.Written record(ModelTrainer.Trained trained, Lineage lineage, Map<String, Double> leak,
                                     Optional<Double> threshold) {
    TrackingTables tracking = new TrackingTables(runtime.spark(), runtime.storage());
    List<TrackingTables.Metric> metrics = metrics(trained);
    leak.forEach((input, auc) -> metrics.add(new TrackingTables.Metric("univariate_auc", -1, -1, input, auc)));
    threshold.ifPresent(t -> metrics.add(new TrackingTables.Metric("validation", -1, -1, "threshold", t)));
    return new TrainResult.Written(tracking.recordParams(runtime.runId(), spec.name(), params(trained)),
        tracking.recordMetrics(runtime.runId(), spec.name(), metrics),
        lineage.record(tracking, runtime.runId(), spec.name()));
  }

  private Map<String, String> params(ModelTrainer.Trained trained) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("task", spec.task().name().toLowerCase());
    params.put("algorithm", spec.algorithm());
    params.put("label", spec.label());
    params.put("numeric", String.join(",", spec.numeric()));
    params.put("categorical", String.join(",", spec.categorical()));
    params.put("metric", spec.metric());
    params.put("class_weight", spec.balanced() ? "balanced" : "none");
    params.put("grid", spec.grid().toString());
    trained.chosen().params().forEach((name, value) -> params.put("chosen." + name, Double.toString(value)));
    return params;
  }

  /** Every grid point's fold metrics, mean and spread, then the holdout metrics. */
  private List<TrackingTables.Metric> metrics(ModelTrainer.Trained trained) {
    List<TrackingTables.Metric> metrics = new ArrayList<>();
    for (int g = 0; g < trained.grid().size(); g++) {
      ModelTrainer.GridPoint point = trained.grid().get(g);
      for (int f = 0; f < point.foldMetrics().length; f++) {
        metrics.add(new TrackingTables.Metric("fold", g, f, spec.metric(), point.foldMetrics()[f]));
      }
      metrics.add(new TrackingTables.Metric("cv_mean", g, -1, spec.metric(), point.mean()));
      metrics.add(new TrackingTables.Metric("cv_std", g, -1, spec.metric(), point.std()));
    }
    trained.holdout().forEach((name, value) -> metrics.add(new TrackingTables.Metric("holdout", -1, -1, name, value)));
    return metrics;
  }
}
