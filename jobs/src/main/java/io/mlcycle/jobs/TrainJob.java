package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.max;

import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.Errors;
import io.mlcycle.base.Steps;
import io.mlcycle.base.TextTable;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.spark.RuntimeVersions;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.DataSplit;
import io.mlcycle.training.HeldOutMetrics;
import io.mlcycle.training.LeakCheck;
import io.mlcycle.training.ModelTrainer;
import io.mlcycle.training.TrainingGuards;
import io.mlcycle.training.TrainingSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Cross-validated training on a pinned version of the feature table, tracked in Delta. */
@Command(name = "train", description = "Train with cross-validated grid search on the feature table; track the run.")
final class TrainJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  @Option(names = "--features-version", paramLabel = "N",
      description = "Delta version of the feature table to train on (default: the latest).")
  Long featuresVersion;

  @Override
  public void run(JobContext context) throws Exception {
    TrainingSpec spec = context.pipeline().training();
    EvaluationSpec evaluation = context.pipeline().evaluation();
    SparkSession spark = context.spark();
    String dataset = context.pipeline().name();
    String table = context.storage().features(dataset);
    long latest = DeltaTables.version(spark, table);
    if (latest == DeltaTables.NO_TABLE) {
      throw Errors.missingInput("feature table", table + " (run 'mlcycle features' first)");
    }
    long version = featuresVersion == null ? latest : featuresVersion;
    if (version < 0 || version > latest) {
      throw Errors.usage("Cannot train on version " + version + " of " + table + ": its versions are 0.." + latest
          + ". Pass an existing --features-version, or leave it out for the latest.");
    }
    String modelPath = context.storage().model(spec.name(), context.runId());
    context.summary().input("features/" + dataset, version);
    if (ModelArtifact.exists(spark, modelPath)) {
      context.summary().nothingToDo("run " + context.runId() + " already trained " + modelPath);
      return;
    }
    Dataset<Row> features = spark.read().format("delta").option("versionAsOf", version).load(table);
    requireColumns(features, spec, table);

    long start = System.nanoTime();
    Dataset<Row> split = cached(DataSplit.assign(features, spec), spark);
    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      Dataset<Row> training = split.filter("not " + DataSplit.TEST + " and " + spec.label() + " is not null");
      TrainingGuards.Facts facts = Steps.timed(LOG, "train: guards", () -> TrainingGuards.check(training, spec));
      Map<String, Double> leak = spec.task() == TrainingSpec.Task.BINARY
          ? Steps.timed(LOG, "train: leak check", () -> LeakCheck.check(training, spec)) : Map.of();
      ModelTrainer.Trained trained = ModelTrainer.train(split, spec);
      Map<String, Map<String, String>> lineage = lineage(context, spec, dataset, version, facts);
      featureLineage(split, dataset).forEach((kind, entries) ->
          lineage.merge(kind, entries, (a, b) -> {
            Map<String, String> both = new LinkedHashMap<>(a);
            both.putAll(b);
            return both;
          }));
      Steps.timed(LOG, "train: save model", () -> writeModel(spark, trained, modelPath,
          new ModelArtifact.Description(spec.name(), context.runId(), new LinkedHashMap<>(lineage),
              new LinkedHashMap<>(trained.holdout())), context.clock()));
      Steps.timed(LOG, "train: record tracking", () -> {
        record(context, spec, trained, lineage, leak, threshold(evaluation, trained));
        return null;
      });
      print(context, spec, trained, modelPath);
      context.summary()
          .count("train_rows", trained.trainRows())
          .count("test_rows", trained.testRows())
          .count("spark_jobs", jobs.jobs())
          .count("train_seconds", round((System.nanoTime() - start) / 1e9))
          .count("optimizer_passes", trained.passes())
          .count("cv_" + spec.metric(), round(trained.chosen().mean()))
          .count("holdout_" + spec.metric(), round(trained.holdout().getOrDefault(spec.metric(), Double.NaN)))
          .message("trained " + spec.name() + " (" + spec.algorithm() + ", " + trained.chosen().params() + ") at "
              + modelPath);
    } finally {
      split.unpersist();
    }
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

  private static Map<String, Object> writeModel(SparkSession spark, ModelTrainer.Trained trained, String path,
                                                ModelArtifact.Description about, Clock clock) {
    try {
      return ModelArtifact.write(spark, trained.model(), path, about, clock);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot write the model to " + path, e);
    }
  }

  private static void requireColumns(Dataset<Row> features, TrainingSpec spec, String table) {
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

  private static Map<String, Map<String, String>> lineage(JobContext context, TrainingSpec spec, String dataset,
                                                          long version, TrainingGuards.Facts facts) {
    RuntimeVersions versions = RuntimeVersions.of(context.spark());
    Map<String, Map<String, String>> lineage = new LinkedHashMap<>();
    lineage.put("table", new LinkedHashMap<>(Map.of("features/" + dataset, Long.toString(version))));
    lineage.put("hash", Map.of("config", context.settings().hash(),
        "fold_assignment", Long.toHexString(facts.foldFingerprint())));
    lineage.put("version", Map.of("mlcycle", versions.mlcycle(), "spark", versions.spark(), "delta", versions.delta(),
        "java", versions.java()));
    lineage.put("split", Map.of("method", spec.splitMethod(), "test_fraction", Double.toString(spec.testFraction()),
        "folds", Integer.toString(spec.folds()), "seed", Long.toString(spec.seed()),
        "entity_key", String.join(",", spec.entityKey())));
    return lineage;
  }

  /** The feature definitions' hash and version and the silver version the feature table was computed from. */
  private static Map<String, Map<String, String>> featureLineage(Dataset<Row> features, String dataset) {
    List<String> columns = List.of(features.columns());
    if (!columns.containsAll(List.of(FeatureTableUpdate.FEATURE_HASH, FeatureTableUpdate.FEATURE_VERSION,
        FeatureTableUpdate.SILVER_VERSION))) {
      return Map.of();
    }
    Row row = features.agg(max(FeatureTableUpdate.FEATURE_HASH), max(FeatureTableUpdate.FEATURE_VERSION),
        max(FeatureTableUpdate.SILVER_VERSION)).first();
    Map<String, Map<String, String>> lineage = new LinkedHashMap<>();
    lineage.put("feature_definitions", Map.of("hash", String.valueOf(row.get(0)), "version", String.valueOf(row.get(1))));
    lineage.put("table", Map.of("silver/" + dataset, String.valueOf(row.get(2))));
    return lineage;
  }

  /**
   * The decision threshold that maximises the business value on the chosen model's validation folds, when
   * pipeline.evaluate.optimise-threshold asks for it (evaluate then uses it).
   */
  private static java.util.Optional<Double> threshold(EvaluationSpec evaluation, ModelTrainer.Trained trained) {
    if (!evaluation.optimiseThreshold() || trained.validation().isEmpty()) {
      return java.util.Optional.empty();
    }
    EvaluationSpec.Business business = evaluation.business();
    double threshold = HeldOutMetrics.bestThreshold(trained.validation(),
        (tp, fp, fn) -> business.perRow(tp, fp, fn, 1));
    LOG.info("train: threshold {} maximises the business value on the validation folds",
        String.format("%.4f", threshold));
    return java.util.Optional.of(threshold);
  }

  private static void record(JobContext context, TrainingSpec spec, ModelTrainer.Trained trained,
                             Map<String, Map<String, String>> lineage, Map<String, Double> leak,
                             java.util.Optional<Double> threshold) {
    TrackingTables tracking = new TrackingTables(context.spark(), context.storage());
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
    threshold.ifPresent(t -> {
      metrics.add(new TrackingTables.Metric("validation", -1, -1, "threshold", t));
      context.out().printf("Decision threshold %.4f: the best business value on the validation folds%n", t);
      context.summary().count("threshold", round(t));
    });
    context.summary()
        .output("_mlcycle/params", tracking.recordParams(context.runId(), spec.name(), params))
        .output("_mlcycle/metrics", tracking.recordMetrics(context.runId(), spec.name(), metrics))
        .output("_mlcycle/lineage", tracking.recordLineage(context.runId(), spec.name(), lineage));
  }

  private static void print(JobContext context, TrainingSpec spec, ModelTrainer.Trained trained, String modelPath) {
    context.out().printf("Cross-validation (%d folds, %s):%n", spec.folds(), spec.metric());
    TextTable table = new TextTable("grid point", "params", "per fold", "mean ± std", "");
    for (int g = 0; g < trained.grid().size(); g++) {
      ModelTrainer.GridPoint point = trained.grid().get(g);
      StringBuilder folds = new StringBuilder();
      for (double v : point.foldMetrics()) {
        folds.append(folds.length() == 0 ? "" : " ").append(String.format("%.4f", v));
      }
      table.row(g, point.params(), folds, String.format("%.4f ± %.4f", point.mean(), point.std()),
          g == trained.best() ? "chosen" : "");
    }
    table.print(context.out());
    context.out().printf("Holdout (%d rows): %s%n", trained.testRows(), formatted(trained.holdout()));
    context.out().println("Model: " + modelPath);
  }

  private static String formatted(Map<String, Double> metrics) {
    List<String> parts = new ArrayList<>();
    metrics.forEach((name, value) -> {
      if (!name.equals("rows")) {
        parts.add(name + " " + String.format("%.4f", value));
      }
    });
    return String.join(", ", parts);
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }
}
