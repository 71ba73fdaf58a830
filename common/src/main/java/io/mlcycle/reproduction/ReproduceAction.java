package io.mlcycle.reproduction;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.config.Settings;
import io.mlcycle.evaluation.DecisionThreshold;
import io.mlcycle.features.FeatureSpec;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.features.FeatureVersion;
import io.mlcycle.features.FeatureVersions;
import io.mlcycle.pipeline.PipelineSettings;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.spark.RuntimeVersions;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.Lineage;
import io.mlcycle.training.RecordedConfig;
import io.mlcycle.training.TrainAction;
import io.mlcycle.training.TrainingRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reproduce stage: "a model version → its training run's lineage → the recorded configuration, the
 * feature table at its recorded version (or its rows computed again from the recorded silver version when
 * that version was vacuumed) → the same training, rerun → every recorded item compared → the verdict,
 * appended to {@code _mlcycle/reproductions}". Writes nothing else: the rebuilt model stays in memory, so a
 * reproduction killed half-way leaves nothing behind and its rerun starts afresh.
 *
 * <p>What the lineage cannot satisfy is a usage error (exit 2) that names what is missing: a version that
 * recorded no configuration (trained before reproduce existed), a vacuumed table version, another Spark or
 * Delta version. Another mlcycle or Java version is a warning, recorded with the verdict.
 */
public final class ReproduceAction {
  private static final Logger LOG = LoggerFactory.getLogger(ReproduceAction.class);

  private final StageRuntime runtime;
  private final Settings settings;

  /** @param settings this run's settings: the storage root and Spark, under the recorded pipeline section */
  public ReproduceAction(StageRuntime runtime, Settings settings) {
    this.runtime = runtime;
    this.settings = settings;
  }

  /** Reproduces registered version {@code number} of {@code model}; exit 2 naming the versions when there is none. */
  public Reproduction version(String model, int number) {
    ModelRegistry.Version version = new ModelRegistry(runtime.spark(), runtime.storage())
        .required(model, number, "reproduce " + model + ":" + number);
    return reproduce(model, number, version.runId(), version.modelPath(), version.manifestSha256());
  }

  /** Reproduces training run {@code runId} of {@code model}, registered or not. */
  public Reproduction run(String model, String runId) {
    Optional<ModelRegistry.Version> registered = new ModelRegistry(runtime.spark(), runtime.storage()).versions(model)
        .stream().filter(v -> v.runId().equals(runId)).findFirst();
    String modelPath = registered.map(ModelRegistry.Version::modelPath)
        .orElse(runtime.storage().model(model, runId));
    if (registered.isEmpty() && !ModelArtifact.exists(runtime.spark(), modelPath)) {
      throw Errors.usage("Cannot reproduce run " + runId + " of " + model + ": it saved no model at " + modelPath
          + ". See 'mlcycle runs' for the training runs, or pass --model NAME:VERSION.");
    }
    return reproduce(model, registered.map(ModelRegistry.Version::version).orElse(0), runId, modelPath,
        registered.flatMap(ModelRegistry.Version::manifestSha256));
  }

  /** Reproduces every registered version of {@code model}, oldest first. */
  public List<Reproduction> all(String model) {
    List<ModelRegistry.Version> versions = new ModelRegistry(runtime.spark(), runtime.storage()).versions(model);
    if (versions.isEmpty()) {
      throw Errors.usage("Cannot reproduce the versions of " + model + ": none is registered. Train and evaluate "
          + "one first, or check pipeline.model.name.");
    }
    return versions.stream().map(v -> reproduce(model, v.version(), v.runId(), v.modelPath(), v.manifestSha256()))
        .toList();
  }

  private Reproduction reproduce(String model, int number, String runId, String modelPath,
                                 Optional<String> manifestSha256) {
    SparkSession spark = runtime.spark();
    String subject = number > 0 ? model + ":" + number + " (run " + runId + ")" : "run " + runId + " of " + model;
    TrackingTables tracking = new TrackingTables(spark, runtime.storage());
    Map<String, Map<String, String>> rows = tracking.lineage(model, runId);
    String pipelineJson = rows.getOrDefault("config", Map.of()).get("pipeline");
    if (pipelineJson == null) {
      throw Errors.usage("Cannot reproduce " + subject + ": its lineage lacks " + missing(rows)
          + ". It was trained by an mlcycle that did not record them; train it again (mlcycle train, or mlcycle "
          + "retrain) to get a version that can be reproduced.");
    }
    PipelineSettings pipeline = PipelineSettings.of(settings.withPipeline(pipelineJson)).orElseThrow();
    String dataset = pipeline.name();
    Lineage lineage = Lineage.read(tracking, model, runId, dataset).orElseThrow(() -> Errors.usage(
        "Cannot reproduce " + subject + ": its lineage lacks " + missing(rows) + ". Train it again to record them."));
    if (!lineage.missingForReproduction().isEmpty()) {
      throw Errors.usage("Cannot reproduce " + subject + ": its lineage lacks " + lineage.missingForReproduction()
          + ". Train it again to record them.");
    }
    List<String> warnings = versions(subject, lineage.versions(), RuntimeVersions.of(spark));
    FeatureRows featureRows = featureRows(subject, pipeline, lineage);
    if (!ModelArtifact.exists(spark, modelPath)) {
      throw Errors.usage("Cannot reproduce " + subject + ": its model folder " + modelPath + " is gone (a vacuum "
          + "removes the folders of archived versions), so there is nothing to compare a rebuild with.");
    }
    // Loading checks every file of the model, and the manifest itself against the registry's hash.
    ModelParameters recordedModel = ModelParameters.of(ModelArtifact.load(spark, modelPath, manifestSha256));
    TrainingRecord recorded = TrainingRecord.fromManifest(ModelArtifact.manifest(spark, modelPath));
    if (recorded == null) {
      throw Errors.usage("Cannot reproduce " + subject + ": the manifest of " + modelPath + " carries no training "
          + "record. Train it again to record one.");
    }
    LOG.info("reproduce {}: training again on {}", subject, featureRows.source());
    TrainAction training = new TrainAction(runtime, pipeline.training(), dataset,
        new RecordedConfig(lineage.configHash(), pipelineJson),
        DecisionThreshold.trainingObjective(pipeline.evaluation()));
    TrainAction.Computed rebuilt = Steps.timed(LOG, "reproduce: train again",
        () -> training.compute(featureRows.rows(), lineage.featuresVersion()));
    ModelParameters rebuiltModel = ModelParameters.of(rebuilt.trained().model());

    List<Reproduction.Item> items = RecordComparison.of(recorded, rebuilt.record(), recordedModel.weights(),
        rebuiltModel.weights(), recordedModel.structure(), rebuiltModel.structure());
    Reproduction.Verdict verdict = items.stream().map(Reproduction.Item::verdict)
        .max(Enum::compareTo).orElse(Reproduction.Verdict.IDENTICAL);
    Reproduction reproduction = new Reproduction(model, number, runId, verdict, items, featureRows.source(), warnings);
    ReproductionsTable.record(runtime, reproduction);
    LOG.info("reproduce {}: {}{}", subject, verdict.word(),
        reproduction.differing().isEmpty() ? "" : " (" + String.join(", ", reproduction.differing()) + ")");
    return reproduction;
  }

  /** The lineage rows a reproduction needs that {@code rows} lacks, as kind.name. */
  private static List<String> missing(Map<String, Map<String, String>> rows) {
    List<String> missing = new ArrayList<>();
    Map<String, List<String>> needed = Map.of(
        "hash", List.of("config", "fold_assignment", "training_rows"),
        "split", List.of("method", "test_fraction", "folds", "seed", "partitions"),
        "feature_definitions", List.of("hash", "version"),
        "config", List.of("pipeline"));
    needed.forEach((kind, names) -> names.stream()
        .filter(name -> !rows.getOrDefault(kind, Map.of()).containsKey(name))
        .forEach(name -> missing.add(kind + "." + name)));
    if (rows.getOrDefault("table", Map.of()).keySet().stream().noneMatch(t -> t.startsWith("features/"))) {
      missing.add("table.features/<dataset>");
    }
    return missing.stream().sorted().toList();
  }

  /**
   * Another Spark or Delta version is refused: their arithmetic and file reading are part of the result.
   * Another mlcycle or Java version is a warning.
   */
  private static List<String> versions(String subject, RuntimeVersions recorded, RuntimeVersions current) {
    if (!recorded.spark().equals(current.spark()) || !recorded.delta().equals(current.delta())) {
      throw Errors.usage("Cannot reproduce " + subject + ": it was trained with Spark " + recorded.spark() + " and Delta "
          + recorded.delta() + ", this is Spark " + current.spark() + " and Delta " + current.delta()
          + ". Run reproduce with the mlcycle build of those versions (its lineage names mlcycle " + recorded.mlcycle()
          + ").");
    }
    List<String> warnings = new ArrayList<>();
    if (!recorded.mlcycle().equals(current.mlcycle())) {
      warnings.add("trained by mlcycle " + recorded.mlcycle() + ", reproduced by " + current.mlcycle());
    }
    if (!recorded.java().equals(current.java())) {
      warnings.add("trained on Java " + recorded.java() + ", reproduced on " + current.java());
    }
    warnings.forEach(w -> LOG.warn("reproduce {}: {}", subject, w));
    return List.copyOf(warnings);
  }

  /** The rows to train on and where they came from. */
  private record FeatureRows(Dataset<Row> rows, String source) {}

  /**
   * The feature table at its recorded version when all its files are still there; otherwise its rows
   * computed again from silver at the recorded silver version, with the recorded feature version's
   * definitions and frozen categories.
   */
  private FeatureRows featureRows(String subject, PipelineSettings pipeline, Lineage lineage) {
    String dataset = pipeline.name();
    String featuresPath = runtime.storage().features(dataset);
    Optional<Dataset<Row>> table = readable(featuresPath, lineage.featuresVersion());
    if (table.isPresent()) {
      return new FeatureRows(table.get(), "features/" + dataset + " version " + lineage.featuresVersion());
    }
    Lineage.FeatureOrigin origin = lineage.origin().orElseThrow(() -> Errors.usage("Cannot reproduce " + subject
        + ": version " + lineage.featuresVersion() + " of " + featuresPath + " is no longer readable (vacuumed, or "
        + "its log expired), and its rows record no silver version to compute them from. Restore the storage root "
        + "from a backup, or archive this version (mlcycle models --archive)."));
    long silverVersion = Long.parseLong(origin.silverVersion());
    String silverPath = runtime.storage().silver(dataset);
    Dataset<Row> silver = readable(silverPath, silverVersion).orElseThrow(() -> Errors.usage(
        "Cannot reproduce " + subject + ": version " + lineage.featuresVersion() + " of " + featuresPath
            + " and version " + silverVersion + " of " + silverPath + " are no longer readable (vacuumed, or their "
            + "log expired), so its training rows cannot be rebuilt. A vacuum keeps what registered versions need; "
            + "restore the storage root from a backup, or archive this version (mlcycle models --archive)."));
    FeatureVersion version = FeatureVersions.withHash(runtime.spark(), runtime.storage(), dataset,
        origin.definitionsHash()).orElseThrow(() -> Errors.usage("Cannot reproduce " + subject + ": version "
            + lineage.featuresVersion() + " of " + featuresPath + " is vacuumed and _mlcycle/" + FeatureVersions.TABLE
            + " has no feature version with hash " + origin.definitionsHash() + " to compute its rows again."));
    FeatureSpec spec = pipeline.storedDefinitions().of(version);
    return new FeatureRows(FeatureTableUpdate.recompute(runtime.spark(), spec, version, silver, silverVersion),
        "silver/" + dataset + " version " + silverVersion + " (features/" + dataset + " version "
            + lineage.featuresVersion() + " was vacuumed; its rows computed again)");
  }

  /** Version {@code version} of a Delta table, when its log and every data file it lists are there. */
  private Optional<Dataset<Row>> readable(String path, long version) {
    SparkSession spark = runtime.spark();
    Dataset<Row> rows;
    try {
      rows = spark.read().format("delta").option("versionAsOf", version).load(path);
    } catch (RuntimeException e) {
      LOG.info("reproduce: version {} of {} cannot be read: {}", version, path, e.getMessage());
      return Optional.empty();
    }
    try {
      for (String file : rows.inputFiles()) {
        Path p = new Path(file);
        if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
          LOG.info("reproduce: version {} of {} lists {}, which is gone", version, path, file);
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot list the files of " + path + " version " + version, e);
    }
    return Optional.of(rows);
  }
}
