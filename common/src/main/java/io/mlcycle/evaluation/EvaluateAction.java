package io.mlcycle.evaluation;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.base.Steps;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.metrics.Task;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.tracking.TrainingRuns;
import io.mlcycle.training.DataSplit;
import io.mlcycle.training.Lineage;
import io.mlcycle.training.TrainingSpec;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run's model on its own holdout rows, against the champion on the same rows: metrics, slices, the
 * paired bootstrap and the gates, recorded with the decision; then the model is registered. An evaluation of
 * the same candidate against the same champion is recorded once: a rerun reuses its decision. Moving aliases
 * is left to the caller, which knows how a model becomes champion.
 */
public final class EvaluateAction {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateAction.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StageRuntime runtime;
  private final TrainingSpec spec;
  private final EvaluationSpec evaluation;
  private final String dataset;
  private final TrackingTables tracking;
  private final ModelRegistry registry;
  private final GateLog gateLog;

  public EvaluateAction(StageRuntime runtime, TrainingSpec spec, EvaluationSpec evaluation, String dataset) {
    this.runtime = runtime;
    this.spec = spec;
    this.evaluation = evaluation;
    this.dataset = dataset;
    this.tracking = new TrackingTables(runtime.spark(), runtime.storage());
    this.registry = new ModelRegistry(runtime.spark(), runtime.storage());
    this.gateLog = new GateLog(runtime.spark(), runtime.storage());
  }

  /** Evaluates training run {@code candidateRun} (the model's latest run when empty) and registers its model. */
  public EvaluateResult execute(Optional<String> candidateRun) {
    String run = candidateRun.orElseGet(this::latestRun);
    Lineage lineage = lineage(run);
    String modelPath = runtime.storage().model(spec.name(), run);
    CandidateEvaluation.Scorer candidate = new CandidateEvaluation.Scorer(
        ModelArtifact.load(runtime.spark(), modelPath), DecisionThreshold.forRun(tracking, evaluation, run));
    Optional<ModelRegistry.Version> champion = registry.holder(spec.name(), ModelRegistry.CHAMPION)
        .filter(v -> !v.runId().equals(run));
    Optional<Integer> championVersion = champion.map(ModelRegistry.Version::version);
    try (SparkJobCounter jobs = SparkJobCounter.start(runtime.spark())) {
      Optional<GateLog.Recorded> recorded = gateLog.recorded(spec.name(), run, championVersion);
      Optional<EvaluateResult.Evaluated> evaluated = recorded.isPresent() ? Optional.empty()
          : Optional.of(evaluate(run, lineage, candidate, champion));
      String evaluationRunId = recorded.map(GateLog.Recorded::evaluationRunId).orElse(runtime.runId());
      String decision = recorded.map(GateLog.Recorded::decision).orElseGet(() -> decision(evaluated.get().result()));
      List<GateCheck.Result> gates = recorded.map(GateLog.Recorded::gates)
          .orElseGet(() -> evaluated.get().result().gates());
      // A rerun after a kill between the gate record and the registration registers the recorded metrics.
      Map<String, Double> metrics = evaluated.map(e -> metrics(e.result(), candidate))
          .orElseGet(() -> tracking.metrics(spec.name(), evaluationRunId, "evaluation"));
      int version = registry.register(new ModelRegistry.Registration(spec.name(), run,
          Storage.modelLocation(spec.name(), run), evaluationRunId, decision, json(lineage.entries()),
          json(new java.util.TreeMap<>(metrics)),
          ModelArtifact.manifestSha256(runtime.spark(), modelPath)), runtime.user(), runtime.clock().instant());
      return new EvaluateResult(run, modelPath, champion, evaluationRunId, decision, gates, metrics, evaluated,
          version, DeltaTables.version(runtime.spark(), registry.modelsPath()),
          decision.equals("go") || !evaluation.enforce(), jobs.jobs());
    }
  }

  /** This run's evaluation of the candidate, with its metrics and gate decision recorded. */
  private EvaluateResult.Evaluated evaluate(String run, Lineage lineage, CandidateEvaluation.Scorer candidate,
                                            Optional<ModelRegistry.Version> champion) {
    Dataset<Row> holdout = holdout(lineage);
    Optional<CandidateEvaluation.Scorer> championScorer = champion.map(v -> new CandidateEvaluation.Scorer(
        ModelArtifact.load(runtime.spark(), v.modelPath(), v.manifestSha256()), DecisionThreshold.forRun(tracking, evaluation, v.runId())));
    CandidateEvaluation.Result result = Steps.timed(LOG, "evaluate " + spec.name() + " run " + run,
        () -> CandidateEvaluation.evaluate(holdout, spec, evaluation, candidate, championScorer));
    GateCheck.ungatedSlices(evaluation, result.slices()).ifPresent(w -> LOG.warn("evaluate {} run {}: {}", spec.name(), run, w));
    long metricsVersion = tracking.recordMetrics(runtime.runId(), spec.name(),
        EvaluationRecords.of(spec, metrics(result, candidate), result));
    long gatesVersion = gateLog.record(runtime.runId(), run, spec.name(), champion.map(ModelRegistry.Version::version),
        result.gates(), evaluation.enforce() ? "enforce" : "dry-run", decision(result),
        Timestamp.from(runtime.clock().instant()));
    return new EvaluateResult.Evaluated(lineage.featuresVersion(), result, metricsVersion, gatesVersion);
  }

  private String decision(CandidateEvaluation.Result result) {
    return result.go() ? "go" : evaluation.enforce() ? "no-go" : "no-go (dry-run)";
  }

  /** The candidate's metrics, with the threshold it decides at when it is a binary model. */
  private Map<String, Double> metrics(CandidateEvaluation.Result result, CandidateEvaluation.Scorer candidate) {
    Map<String, Double> metrics = new LinkedHashMap<>(result.candidate());
    if (spec.task() == Task.BINARY) {
      metrics.put("threshold", candidate.threshold());
    }
    return metrics;
  }

  private String latestRun() {
    return new TrainingRuns(tracking).latest(spec.name()).orElseThrow(() -> Errors.usage("Cannot evaluate "
        + spec.name() + ": it has no training run in " + tracking.path(TrackingTables.PARAMS)
        + ". Run 'mlcycle train' first."));
  }

  private Lineage lineage(String run) {
    return Lineage.read(tracking, spec.name(), run, dataset).orElseThrow(() -> Errors.usage("Cannot evaluate "
        + spec.name() + " run " + run + ": the run has no lineage in " + tracking.path(TrackingTables.LINEAGE)
        + ". Pass a training run of this model (see 'mlcycle runs')."));
  }

  /** The run's holdout rows with a known label, from the feature-table version and split the run recorded. */
  private Dataset<Row> holdout(Lineage lineage) {
    String table = runtime.storage().features(dataset);
    Dataset<Row> features = runtime.spark().read().format("delta").option("versionAsOf", lineage.featuresVersion())
        .load(table);
    List<String> columns = List.of(features.columns());
    for (String slice : evaluation.slices()) {
      if (!columns.contains(slice)) {
        throw Errors.badConfigValue("pipeline.evaluate.slices", "pipeline.evaluate", "the feature table " + table
            + " has no column '" + slice + "'; slice by one of " + columns);
      }
    }
    return DataSplit.assign(features, lineage.split().applyTo(spec))
        .where(col(DataSplit.TEST).and(col(spec.label()).isNotNull()));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value + " as JSON", e);
    }
  }
}
