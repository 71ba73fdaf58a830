package io.mlcycle.pipeline;

import com.typesafe.config.Config;
import io.mlcycle.config.Settings;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.features.FeatureSpec;
import io.mlcycle.features.StoredDefinitions;
import io.mlcycle.monitoring.MonitoringSpec;
import io.mlcycle.quality.QualitySpec;
import io.mlcycle.scoring.ScoringSetup;
import io.mlcycle.scoring.ScoringSpec;
import io.mlcycle.training.TrainingSpec;
import java.util.List;
import java.util.Optional;

/**
 * Every stage's settings of one pipeline, parsed and checked whole once, before Spark starts: the
 * dataset and its schema, quality, features, training, evaluation, scoring and monitoring, and the
 * values they share (name, entity key, event time). Nothing below this reads the raw configuration:
 * a stage takes its spec from here, so one grep of a getter finds every reader of a setting.
 *
 * @param storedDefinitions how stored feature definitions are read back, with this run's defaults
 * @param configHash SHA-256 of the whole configuration, secrets excluded (lineage)
 */
public record PipelineSettings(DatasetSpec dataset, QualitySpec quality, FeatureSpec features,
                               TrainingSpec training, EvaluationSpec evaluation, ScoringSpec scoring,
                               MonitoringSpec monitoring, StoredDefinitions storedDefinitions, String configHash) {

  /** The pipeline the settings name, or empty when they name none ({@code pipeline.name} blank). */
  public static Optional<PipelineSettings> of(Settings settings) {
    Config config = settings.config();
    if (config.getString("pipeline.name").isBlank()) {
      return Optional.empty();
    }
    DatasetSpec dataset = DatasetSpec.from(config, settings.source());
    TrainingSpec training = TrainingSpec.from(config);
    return Optional.of(new PipelineSettings(dataset, QualitySpec.from(config, dataset), FeatureSpec.from(config),
        training, EvaluationSpec.from(config, training.task()), ScoringSpec.from(config),
        MonitoringSpec.from(config), new StoredDefinitions(config), settings.hash()));
  }

  /** The dataset's name: its folders and tables are named after it. */
  public String name() {
    return dataset.name();
  }

  public List<String> entityKey() {
    return dataset.entityKey();
  }

  public Optional<String> eventTime() {
    return dataset.eventTime();
  }

  /** What scoring the pipeline's model reads: for the score action and the promotion's smoke test. */
  public ScoringSetup scoringSetup() {
    return new ScoringSetup(name(), training.name(), entityKey(), features.eventTime(), scoring, evaluation,
        storedDefinitions);
  }
}
