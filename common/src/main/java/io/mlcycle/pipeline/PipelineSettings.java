package io.mlcycle.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.config.SecretRedaction;
import io.mlcycle.config.Settings;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.features.FeatureSpec;
import io.mlcycle.features.StoredDefinitions;
import io.mlcycle.monitoring.MonitoringSpec;
import io.mlcycle.quality.QualitySpec;
import io.mlcycle.scoring.ScoringSetup;
import io.mlcycle.scoring.ScoringSpec;
import io.mlcycle.training.RecordedConfig;
import io.mlcycle.training.TrainingSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every stage's settings of one pipeline, parsed and checked whole once, before Spark starts: the
 * dataset and its schema, quality, features, training, evaluation, scoring and monitoring, and the
 * values they share (name, entity key, event time). Nothing below this reads the raw configuration:
 * a stage takes its spec from here, so one grep of a getter finds every reader of a setting.
 *
 * <p>A section that does not parse is kept as its error, raised (exit 2, naming the key, file and line)
 * by the first job that asks for that section: a pipeline that only ingests needs no model, and one that
 * trains on a feature table it brings needs no feature definitions.
 */
public final class PipelineSettings {
  private final String name;
  private final Section<DatasetSpec> dataset;
  private final Section<QualitySpec> quality;
  private final Section<FeatureSpec> features;
  private final Section<TrainingSpec> training;
  private final Section<EvaluationSpec> evaluation;
  private final Section<ScoringSpec> scoring;
  private final Section<MonitoringSpec> monitoring;
  private final StoredDefinitions storedDefinitions;
  private final String configHash;
  private final String pipelineJson;

  private PipelineSettings(Config config, String source, String configHash) {
    this.name = DatasetSpec.name(config, source);
    this.dataset = Section.parse(() -> DatasetSpec.from(config, source));
    this.quality = Section.parse(() -> QualitySpec.from(config, dataset.get()));
    this.features = Section.parse(() -> FeatureSpec.from(config));
    this.training = Section.parse(() -> TrainingSpec.from(config));
    this.evaluation = Section.parse(() -> EvaluationSpec.from(config, training.get().task()));
    this.scoring = Section.parse(() -> ScoringSpec.from(config));
    this.monitoring = Section.parse(() -> MonitoringSpec.from(config, TrainingSpec.task(config)));
    this.storedDefinitions = new StoredDefinitions(config);
    this.configHash = configHash;
    this.pipelineJson = SecretRedaction.redact(config.withOnlyPath("pipeline")).getConfig("pipeline").root()
        .render(ConfigRenderOptions.concise());
  }

  /** The pipeline the settings name, or empty when they name none ({@code pipeline.name} blank). */
  public static Optional<PipelineSettings> of(Settings settings) {
    Config config = settings.config();
    if (config.getString("pipeline.name").isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new PipelineSettings(config, settings.source(), settings.hash()));
  }

  /** One section's spec, or the configuration error that stopped it. */
  private record Section<T>(T value, MlcycleException error) {
    static <T> Section<T> parse(Supplier<T> parser) {
      try {
        return new Section<>(parser.get(), null);
      } catch (MlcycleException e) {
        return new Section<>(null, e);
      }
    }

    T get() {
      if (error != null) {
        throw error;
      }
      return value;
    }
  }

  /** The dataset's name: its folders and tables are named after it. */
  public String name() {
    return name;
  }

  public DatasetSpec dataset() {
    return dataset.get();
  }

  public QualitySpec quality() {
    return quality.get();
  }

  public FeatureSpec features() {
    return features.get();
  }

  public TrainingSpec training() {
    return training.get();
  }

  public EvaluationSpec evaluation() {
    return evaluation.get();
  }

  public ScoringSpec scoring() {
    return scoring.get();
  }

  public MonitoringSpec monitoring() {
    return monitoring.get();
  }

  /** How stored feature definitions are read back, with this run's defaults behind them. */
  public StoredDefinitions storedDefinitions() {
    return storedDefinitions;
  }

  /** SHA-256 of the whole configuration, secrets excluded (lineage). */
  public String configHash() {
    return configHash;
  }

  /** What a training run records of these settings: the hash, and the pipeline section as JSON (secrets redacted). */
  public RecordedConfig recordedConfig() {
    return new RecordedConfig(configHash, pipelineJson);
  }

  /** The columns that identify a row from silver on: the entity key, or the row id when none is declared. */
  public List<String> entityKey() {
    return dataset().rowKey();
  }

  public Optional<String> eventTime() {
    return dataset().eventTime();
  }

  /** What scoring the pipeline's model reads: for the score action and the promotion's smoke test. */
  public ScoringSetup scoringSetup() {
    return new ScoringSetup(name(), training().name(), entityKey(), features().eventTime(), scoring(), evaluation(),
        storedDefinitions);
  }
}
