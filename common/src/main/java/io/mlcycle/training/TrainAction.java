package io.mlcycle.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.xxhash64;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.metrics.Task;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.spark.RuntimeVersions;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.tracking.TrackingTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * Cross-validated training on a pinned version of a dataset's feature table: guards, leak check, grid
 * search, holdout; then the model (with its lineage) is saved under the run id and the run's params,
 * metrics and lineage are tracked. A rerun of a run that saved its model has nothing to do.
 *
 * <p>The training rows are laid out by a hash of each row into {@code pipeline.model.partitions}
 * partitions and sorted by it within each, and every sum of the optimiser and of the metrics is taken in
 * that order ({@link OrderedSums}): the result depends on the rows and the recorded settings only, not on
 * the cores, the split of the input files or the order tasks finish in. {@link #compute} is what
 * {@code reproduce} reruns.
 */
public final class TrainAction {
  private static final Logger LOG = LoggerFactory.getLogger(TrainAction.class);
  private static final String ROW_HASH = "_row_hash";

  private final StageRuntime runtime;
  private final TrainingSpec spec;
  private final String dataset;
  private final RecordedConfig config;
  private final Optional<HeldOutMetrics.DecisionValue> thresholdValue;

  /**
   * @param config the settings the run was given, recorded in its lineage
   * @param thresholdValue what the decisions of a threshold are worth, when the run should choose the
   *     decision threshold that maximises it on the validation folds; empty to choose none
   */
  public TrainAction(StageRuntime runtime, TrainingSpec spec, String dataset, RecordedConfig config,
                     Optional<HeldOutMetrics.DecisionValue> thresholdValue) {
    this.runtime = runtime;
    this.spec = spec;
    this.dataset = dataset;
    this.config = config;
    this.thresholdValue = thresholdValue;
  }

  /**
   * What training computes from a version of the feature table before anything is written: the model, its
   * lineage, the decision threshold (when asked for) and the record the run tracks.
   */
  public record Computed(ModelTrainer.Trained trained, Lineage lineage, Optional<Double> threshold,
                         TrainingRecord record) {}

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
    long start = System.nanoTime();
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      Computed computed = compute(features, version);
      // The manifest marks the model whole; the tracking rows follow it, and a rerun after a kill between the
      // two writes them from the manifest, which carries them.
      Steps.timed(LOG, "train: save model", () -> writeModel(computed.trained(), modelPath,
          new ModelArtifact.Description(spec.name(), runtime.runId(), new LinkedHashMap<>(computed.lineage().entries()),
              new LinkedHashMap<>(computed.trained().holdout()), computed.record().asManifest())));
      TrainResult.Written written = Steps.timed(LOG, "train: record tracking", () -> record(computed.record()));
      TrainResult.Run run = new TrainResult.Run(computed.trained(), computed.lineage(), computed.threshold(), written,
          jobs.jobs(), (System.nanoTime() - start) / 1e9);
      return new TrainResult(runtime.runId(), Lineage.featuresTable(dataset), version, modelPath, Optional.of(run),
          Optional.empty());
    }
  }

  /** Trains on {@code features}, the rows of {@code version} of the feature table; writes nothing. */
  public Computed compute(Dataset<Row> features, long version) {
    requireColumns(features, runtime.storage().features(dataset));
    Dataset<Row> split = laidOut(features).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Column trainingRow = col(DataSplit.TEST).equalTo(false).and(ColumnNames.column(spec.label()).isNotNull());
      TrainingGuards.Facts facts = Steps.timed(LOG, "train: guards",
          () -> TrainingGuards.check(split, trainingRow, ROW_HASH, spec));
      Dataset<Row> training = split.filter(trainingRow);
      Map<String, Double> leak = spec.task() == Task.BINARY
          ? Steps.timed(LOG, "train: leak check", () -> LeakCheck.check(training, spec)) : Map.of();
      ModelTrainer.Trained trained = ModelTrainer.train(split, spec);
      Lineage lineage = new Lineage(dataset, version, origin(features), config.hash(), facts.foldFingerprint(),
          facts.rowsHash(), RuntimeVersions.of(runtime.spark()), Lineage.Split.of(spec), Optional.of(config.pipeline()));
      Optional<Double> threshold = threshold(trained);
      return new Computed(trained, lineage, threshold,
          new TrainingRecord(params(trained), metrics(trained, leak, threshold), lineage.entries()));
    } finally {
      split.unpersist();
    }
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
   * The columns training reads, with their split, laid out whatever the cores: partitioned by a hash of each
   * row into {@code pipeline.model.partitions} partitions and sorted by it within each, so that every pass
   * sums the same rows in the same order (rows with equal hashes are equal rows). The caller caches it: the
   * guards, leak check, feature stages, packing and holdout all read that cache. The entity key and event time
   * decide the split and folds before it and stay out of it (a unique key is the widest column and the costliest
   * to cache).
   */
  private Dataset<Row> laidOut(Dataset<Row> features) {
    Column[] used = used().stream().map(ColumnNames::column).toArray(Column[]::new);
    Column[] kept = Arrays.copyOf(used, used.length + 1);
    kept[used.length] = xxhash64(used).as(ROW_HASH);
    Dataset<Row> rows = features.select(kept).repartition(spec.partitions(), col(ROW_HASH)).sortWithinPartitions(ROW_HASH);
    LinkedHashSet<String> cached = new LinkedHashSet<>(spec.inputs());
    cached.add(spec.label());
    List<Column> columns = new ArrayList<>(cached.stream().map(ColumnNames::column).toList());
    columns.addAll(List.of(col(ROW_HASH), col(DataSplit.TEST), col(DataSplit.FOLD), TrainingGuards.foldAssignment(spec)));
    return DataSplit.assign(rows, spec).select(columns.toArray(Column[]::new));
  }

  /** The columns training reads: inputs, label, entity key and, for a time split, the event time; each once. */
  private List<String> used() {
    LinkedHashSet<String> used = new LinkedHashSet<>(spec.inputs());
    used.add(spec.label());
    used.addAll(spec.entityKey());
    if (spec.splitMethod().equals("time")) {
      used.add(spec.eventTime());
    }
    return List.copyOf(used);
  }

  private Map<String, Object> writeModel(ModelTrainer.Trained trained, String path, ModelArtifact.Description about) {
    try {
      return ModelArtifact.write(runtime.spark(), trained.model(), path, about, runtime.clock());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the model to " + path, e);
    }
  }

  private void requireColumns(Dataset<Row> features, String table) {
    List<String> present = List.of(features.columns());
    for (String column : used()) {
      if (!present.contains(column)) {
        throw Errors.usage("Cannot train on " + table + ": it has no column '" + column + "' (named in pipeline.model,"
            + " pipeline.entity-key or, for a time split, pipeline.event-time). Its columns are " + present + ".");
      }
    }
  }

  /**
   * The feature definitions and silver version the rows of the feature table record, when they do: one
   * aggregation of three columns of the pinned version, which Parquet reads without the rest (they are not
   * carried through the training layout, whose shuffle and cache they would widen by a 64-character hash a row).
   */
  private static Optional<Lineage.FeatureOrigin> origin(Dataset<Row> features) {
    List<String> columns = List.of(FeatureTableUpdate.FEATURE_HASH, FeatureTableUpdate.FEATURE_VERSION,
        FeatureTableUpdate.SILVER_VERSION);
    if (!List.of(features.columns()).containsAll(columns)) {
      return Optional.empty();
    }
    Row row = features.agg(max(col(columns.get(0))), max(col(columns.get(1))), max(col(columns.get(2)))).first();
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

  private TrainResult.Written record(TrainingRecord record) {
    TrackingTables tracking = new TrackingTables(runtime.spark(), runtime.storage());
    return new TrainResult.Written(tracking.recordParams(runtime.runId(), spec.name(), record.params()),
        tracking.recordMetrics(runtime.runId(), spec.name(), record.metrics()),
        tracking.recordLineage(runtime.runId(), spec.name(), record.lineage()));
  }

  /** The tracking rows of a model this run saved before it was killed, written from its manifest. */
  private Optional<TrainResult.Written> completeTracking(String modelPath) {
    if (new TrackingTables(runtime.spark(), runtime.storage()).recordedTraining(runtime.runId())) {
      return Optional.empty();
    }
    TrainingRecord record = TrainingRecord.fromManifest(ModelArtifact.manifest(runtime.spark(), modelPath));
    if (record == null) {
      throw Errors.usage("Cannot complete training run " + runtime.runId() + ": its model at " + modelPath
          + " was saved without its tracking rows and by an mlcycle that did not keep them in the manifest. "
          + "Train again under a new --run-id.");
    }
    LOG.info("train: {} has its model but not its tracking rows; writing them from the manifest", runtime.runId());
    return Optional.of(record(record));
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
    for (int d = 0; d < trained.residualDeciles().size(); d++) {
      metrics.add(new TrackingTables.Metric(TrackingTables.RESIDUAL_QUANTILE, -1, -1,
          String.format(java.util.Locale.ROOT, "p%d", 10 * (d + 1)), trained.residualDeciles().get(d)));
    }
    leak.forEach((input, auc) -> metrics.add(new TrackingTables.Metric("univariate_auc", -1, -1, input, auc)));
    threshold.ifPresent(t -> metrics.add(new TrackingTables.Metric("validation", -1, -1, "threshold", t)));
    return metrics;
  }
}
