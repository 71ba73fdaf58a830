package io.mlcycle.scoring;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.evaluation.DecisionThreshold;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.features.FeatureVersion;
import io.mlcycle.features.FeatureVersions;
import io.mlcycle.io.Storage;
import io.mlcycle.base.Errors;
import io.mlcycle.metrics.Task;
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

  /** @param evaluation where a binary model's decision threshold comes from ({@link DecisionThreshold}) */
  public static BatchScorer.Arm load(SparkSession spark, Storage storage, String dataset, ModelRegistry.Version version,
                                     String role, EvaluationSpec evaluation) {
    PipelineModel model = ModelArtifact.load(spark, version.modelPath(), version.manifestSha256());
    Map<String, String> params = params(spark, storage, version);
    FeatureVersion features = featureVersion(spark, storage, dataset, version);
    List<String> inputs = new ArrayList<>();
    for (String kind : List.of("numeric", "categorical")) {
      String value = params.getOrDefault(kind, "");
      if (!value.isBlank()) {
        inputs.addAll(Arrays.asList(value.split(",")));
      }
    }
    Task task = Task.recorded(Optional.ofNullable(params.get("task")));
    return new BatchScorer.Arm(role, version, model, features, List.copyOf(inputs), task,
        DecisionThreshold.forRun(new TrackingTables(spark, storage), evaluation, version.runId()));
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
