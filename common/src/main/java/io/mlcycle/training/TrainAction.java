package io.mlcycle.training;

import static org.apache.spark.sql.functions.max;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.metrics.Task;
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
      return new TrainResult(runtime.runId(), Lineage.featuresTable(dataset), version, modelPath, Optional.empty(),
          completeTracking(modelPath));
    }
    Dataset<Row> features = spark.read().format("delta").option("versionAsOf", version).load(table);
    requireColumns(features, table);
    long start = System.nanoTime();
    Dataset<Row> split = cached(DataSplit.assign(features, spec), spark);
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      TrainResult.Run run = train(split, version, modelPath, jobs, start);
      return new TrainResult(runtime.runId(), Lineage.featuresTable(dataset), version, modelPath, Optional.of(run),
          Optional.empty());
    } finally {
      split.unpersist();
    }
  }

  private TrainResult.Run train(Dataset<Row> split, long version, String modelPath, SparkJobCounter jobs,
                                long start) {
    Dataset<Row> training = split.filter("not " + DataSplit.TEST + " and " + spec.label() + " is not null");
    TrainingGuards.Facts facts = Steps.timed(LOG, "train: guards", () -> TrainingGuards.check(training, spec));
    Map<String, Double> leak = spec.task() == Task.BINARY
        ? Steps.timed(LOG, "train: leak check", () -> LeakCheck.check(training, spec)) : Map.of();
    ModelTrainer.Trained trained = ModelTrainer.train(split, spec);
    Lineage lineage = new Lineage(dataset, version, origin(split), configHash, facts.foldFingerprint(),
        RuntimeVersions.of(runtime.spark()), Lineage.Split.of(spec));
    Optional<Double> threshold = threshold(trained);
    Tracked tracked = new Tracked(params(trained), metrics(trained, leak, threshold), lineage.entries());
    // The manifest marks the model whole; the tracking rows follow it, and a rerun after a kill between the
    // two writes them from the manifest, which carries them.
    Steps.timed(LOG, "train: save model", () -> writeModel(trained, modelPath,
        new ModelArtifact.Description(spec.name(), runtime.runId(), new LinkedHashMap<>(lineage.entries()),
            new LinkedHashMap<>(trained.holdout()), tracked.asManifest())));
    TrainResult.Written written = Steps.timed(LOG, "train: record tracking", () -> record(tracked));
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

  /** What a training run records in params, metrics and lineage, and carries in its model's manifest. */
  private record Tracked(Map<String, String> params, List<TrackingTables.Metric> metrics,
                         Map<String, Map<String, String>> lineage) {
    Map<String, Object> asManifest() {
      Map<String, Object> tracking = new LinkedHashMap<>();
      tracking.put("params", params);
      tracking.put("metrics", metrics.stream().map(m -> List.of(m.scope(), m.gridPoint(), m.fold(), m.name(),
          Double.toString(m.value()))).toList());
      tracking.put("lineage", lineage);
      return tracking;
    }

    @SuppressWarnings("unchecked")
    static Tracked fromManifest(Map<String, Object> manifest) {
      Map<String, Object> tracking = (Map<String, Object>) manifest.get("tracking");
      List<TrackingTables.Metric> metrics = ((List<List<Object>>) tracking.get("metrics")).stream()
          .map(m -> new TrackingTables.Metric((String) m.get(0), ((Number) m.get(1)).intValue(),
              ((Number) m.get(2)).intValue(), (String) m.get(3), Double.parseDouble((String) m.get(4)))).toList();
      return new Tracked((Map<String, String>) tracking.get("params"), metrics,
          (Map<String, Map<String, String>>) tracking.get("lineage"));
    }
  }

  private TrainResult.Written record(Tracked tracked) {
    TrackingTables tracking = new TrackingTables(runtime.spark(), runtime.storage());
    return new TrainResult.Written(tracking.recordParams(runtime.runId(), spec.name(), tracked.params()),
        tracking.recordMetrics(runtime.runId(), spec.name(), tracked.metrics()),
        tracking.recordLineage(runtime.runId(), spec.name(), tracked.lineage()));
  }

  /** The tracking rows of a model this run saved before it was killed, written from its manifest. */
  private Optional<TrainResult.Written> completeTracking(String modelPath) {
    if (new TrackingTables(runtime.spark(), runtime.storage()).recordedTraining(runtime.runId())) {
      return Optional.empty();
    }
    Map<String, Object> manifest = ModelArtifact.manifest(runtime.spark(), modelPath);
    if (!manifest.containsKey("tracking")) {
      throw Errors.usage("Cannot complete training run " + runtime.runId() + ": its model at " + modelPath
          + " was saved without its tracking rows and by an mlcycle that did not keep them in the manifest. "
          + "Train again under a new --run-id.");
    }
    LOG.info("train: {} has its model but not its tracking rows; writing them from the manifest", runtime.runId());
    return Optional.of(record(Tracked.fromManifest(manifest)));
  }

  private Map<String, String> params(ModelTrainer.Trained trained) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("task", spec.task().name().toLowerCase());
    params.put("algorithm", spec.algorithm());
    params.put("label", spec.label());
    params.put("numeric", String.join(",", spec.numeric()));
    params.put("categorical", String.join(",", spec.categorical()));
    params.put("metric", spec.metric());
    ClassIndex.of(trained.model()).ifPresent(classes -> params.put("classes", String.join(",", classes)));
    params.put("class_weight", spec.balanced() ? "balanced" : "none");
    params.put("grid", spec.grid().toString());
    trained.chosen().params().forEach((name, value) -> params.put("chosen." + name, Double.toString(value)));
    return params;
  }

  /**
   * Every grid point's fold metrics, mean and spread, the holdout metrics, the leak check's univariate AUCs
   * and the chosen threshold.
   */
  private List<TrackingTables.Metric> metrics(ModelTrainer.Trained trained, Map<String, Double> leak,
                                              Optional<Double> threshold) {
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
    leak.forEach((input, auc) -> metrics.add(new TrackingTables.Metric("univariate_auc", -1, -1, input, auc)));
    threshold.ifPresent(t -> metrics.add(new TrackingTables.Metric("validation", -1, -1, "threshold", t)));
    return metrics;
  }
}
