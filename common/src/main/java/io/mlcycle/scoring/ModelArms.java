package io.mlcycle.scoring;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.features.FeatureVersion;
import io.mlcycle.features.FeatureVersions;
import io.mlcycle.io.Storage;
import io.mlcycle.base.Errors;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Loads a registered version for scoring: the model from storage (checksums verified), the feature
 * version its training run read (by definition hash), and its inputs and task as the run recorded them.
 */
public final class ModelArms {
  private ModelArms() {}

  /**
   * @param config the settings: a binary model decides at the threshold its training run chose when
   *     {@code pipeline.evaluate.optimise-threshold} is on and it chose one, else at {@code pipeline.evaluate.threshold}
   */
  public static BatchScorer.Arm load(SparkSession spark, Storage storage, String dataset, ModelRegistry.Version version,
                                     String role, com.typesafe.config.Config config) {
    PipelineModel model = ModelArtifact.load(spark, version.modelPath());
    Map<String, String> params = params(spark, storage, version);
    FeatureVersion features = featureVersion(spark, storage, dataset, version);
    List<String> inputs = new ArrayList<>();
    for (String kind : List.of("numeric", "categorical")) {
      String value = params.getOrDefault(kind, "");
      if (!value.isBlank()) {
        inputs.addAll(Arrays.asList(value.split(",")));
      }
    }
    TrainingSpec.Task task = TrainingSpec.Task.valueOf(params.getOrDefault("task", "binary").toUpperCase());
    return new BatchScorer.Arm(role, version, model, features, List.copyOf(inputs), task,
        threshold(spark, storage, version, config));
  }

  /** The feature version the version's training run read, found by the definition hash it recorded. */
  public static FeatureVersion featureVersion(SparkSession spark, Storage storage, String dataset,
                                              ModelRegistry.Version version) {
    TrackingTables tracking = new TrackingTables(spark, storage);
    String hash = tracking.lineage(version.name(), version.runId()).getOrDefault("feature_definitions", Map.of()).get("hash");
    if (hash == null) {
      throw Errors.usage("Cannot use " + version.name() + " version " + version.version() + ": its training run "
          + version.runId() + " has no feature lineage in " + tracking.path(TrackingTables.LINEAGE)
          + ". Retrain and evaluate the model.");
    }
    return FeatureVersions.withHash(spark, storage, dataset, hash)
        .orElseThrow(() -> Errors.usage("Cannot use " + version.name() + " version " + version.version()
            + ": the feature version it was trained on (hash " + hash + ") is not in "
            + storage.system(FeatureVersions.TABLE) + ". Rebuild the features, retrain and evaluate."));
  }

  private static double threshold(SparkSession spark, Storage storage, ModelRegistry.Version version,
                                  com.typesafe.config.Config config) {
    Optional<Double> chosen = config.getBoolean("pipeline.evaluate.optimise-threshold")
        ? new TrackingTables(spark, storage).chosenThreshold(version.runId()) : Optional.empty();
    return chosen.orElse(config.getDouble("pipeline.evaluate.threshold"));
  }

  private static Map<String, String> params(SparkSession spark, Storage storage, ModelRegistry.Version version) {
    TrackingTables tracking = new TrackingTables(spark, storage);
    Map<String, String> params = new HashMap<>();
    for (Row r : tracking.read(TrackingTables.PARAMS).where(col("run_id").equalTo(version.runId()))
        .select("name", "value").collectAsList()) {
      params.put(r.getString(0), r.getString(1));
    }
    if (params.isEmpty()) {
      throw Errors.usage("Cannot score with " + version.name() + " version " + version.version() + ": its training run "
          + version.runId() + " has no params in " + tracking.path(TrackingTables.PARAMS)
          + ". Retrain and evaluate the model.");
    }
    return params;
  }
}
