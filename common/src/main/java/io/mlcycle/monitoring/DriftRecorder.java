package io.mlcycle.monitoring;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.dataset.KeyIssues;
import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.features.FeatureVersion;
import io.mlcycle.features.StoredDefinitions;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.ModelArms;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures one batch's drift for one model version and records it in {@link DriftTable}, once per version
 * and batch: against the reference bins of the feature version the model was trained on (its features
 * read from the feature table, or recomputed through that version as scoring did) and the first batch
 * it scored.
 */
final class DriftRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(DriftRecorder.class);
  private static final String MATCH = "_key_match";

  private final StageRuntime runtime;
  private final MonitoringSpec spec;
  private final TrainingSpec training;
  private final StoredDefinitions definitions;
  private final String dataset;

  DriftRecorder(StageRuntime runtime, MonitoringSpec spec, TrainingSpec training, StoredDefinitions definitions,
                String dataset) {
    this.runtime = runtime;
    this.spec = spec;
    this.training = training;
    this.definitions = definitions;
    this.dataset = dataset;
  }

  /** The version's drift on {@code batchId}; a rerun finds it recorded and reads nothing new. */
  MonitorResult.VersionDrift record(ModelRegistry.Version version, String role, String batchId,
                                    Dataset<Row> allPredictions) {
    if (DriftTable.recorded(runtime.spark(), runtime.storage(), training.name(), version.version(), batchId)) {
      return new MonitorResult.VersionDrift(version.version(), role, Optional.empty(), Optional.empty());
    }
    FeatureVersion features = ModelArms.featureVersion(runtime.spark(), runtime.storage(), dataset, version);
    Dataset<Row> versionPredictions = allPredictions.where(col("model_version").equalTo(version.version()));
    BatchDrift measure = new BatchDrift(BatchDrift.featureReference(runtime.spark(), runtime.storage(), dataset,
        features.version(), training.name(), version.version()),
        PredictionReference.firstBatch(versionPredictions, "probability", spec.predictionBins()), spec.drift(),
        spec.unmonitored());
    String step = "monitor: drift of " + batchId + " for version " + version.version();
    DriftReport report = measure(step, measure, features, batchId, scored(versionPredictions, batchId));
    long tableVersion = DriftTable.write(runtime.spark(), runtime.storage(), training.name(), version.version(),
        batchId, report, runtime.runId(), runtime.clock().instant());
    return new MonitorResult.VersionDrift(version.version(), role, Optional.of(report), Optional.of(tableVersion));
  }

  /** The batch's entity keys and probabilities as this version scored them. */
  private Dataset<Row> scored(Dataset<Row> versionPredictions, String batchId) {
    List<Column> columns = new ArrayList<>();
    training.entityKey().forEach(k -> columns.add(ColumnNames.column(k)));
    columns.add(col("probability"));
    return versionPredictions.where(col(FeaturePipeline.BATCH_ID).equalTo(batchId))
        .select(columns.toArray(Column[]::new));
  }

  /** From the feature table's rows when it has the batch under this feature version, else recomputed. */
  private DriftReport measure(String step, BatchDrift measure, FeatureVersion features, String batchId,
                              Dataset<Row> scored) {
    Optional<Dataset<Row>> computed = computedFeatures(features, batchId);
    DriftReport report = computed.isEmpty() ? null
        : Steps.timed(LOG, step, () -> measure.measure(matched(computed.get(), scored)));
    if (report != null && report.rows() > 0) {
      return report;
    }
    Dataset<Row> silver = runtime.spark().read().format("delta").load(runtime.storage().silver(dataset));
    Dataset<Row> recomputed = FeaturePipeline.create(runtime.spark(), definitions.of(features), silver.schema(),
        "silver/" + dataset, features.folding()).transformBatches(silver, List.of(batchId));
    return Steps.timed(LOG, step + " (features recomputed)", () -> measure.measure(matched(recomputed, scored)));
  }

  /**
   * The batch's rows of the feature table under the model's feature version (what the features job
   * computed through the same code path scoring uses); none when the job has not computed them yet.
   */
  private Optional<Dataset<Row>> computedFeatures(FeatureVersion features, String batchId) {
    String table = runtime.storage().features(dataset);
    if (!DeltaTables.exists(runtime.spark(), table)) {
      return Optional.empty();
    }
    return Optional.of(runtime.spark().read().format("delta").load(table)
        .where(col(FeaturePipeline.BATCH_ID).equalTo(batchId)
            .and(col(FeatureTableUpdate.FEATURE_HASH).equalTo(features.hash()))));
  }

  /** Each feature row with its prediction, matched on the key where it identifies one row on both sides ({@link KeyIssues}). */
  private Dataset<Row> matched(Dataset<Row> features, Dataset<Row> scored) {
    Dataset<Row> predictions = KeyIssues.withMatch(scored, training.entityKey(), List.of(), MATCH)
        .drop(training.entityKey().toArray(String[]::new));
    return KeyIssues.withMatch(features, training.entityKey(), List.of(), MATCH)
        .join(predictions, scala.jdk.javaapi.CollectionConverters.asScala(List.of(MATCH)).toSeq()).drop(MATCH);
  }
}
