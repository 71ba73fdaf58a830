package io.mlcycle.evaluation;

import io.mlcycle.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an evaluate action decided: the candidate run and the champion it was measured against, the
 * evaluation run that holds the decision (this run, or an earlier one that already decided it), the gates and
 * the decision, the candidate's metrics, the version the model was registered as, and whether it may take an
 * alias ({@code proceeds}: a go, or a no-go in dry-run).
 */
public record EvaluateResult(String candidateRun, String modelPath, Optional<ModelRegistry.Version> champion,
                             String evaluationRunId, String decision, List<GateCheck.Result> gates,
                             Map<String, Double> metrics, Optional<Evaluated> evaluated, int version,
                             long modelsVersion, boolean proceeds, long sparkJobs) {

  /**
   * This run's own evaluation (absent when an earlier run already evaluated the candidate against the same
   * champion): the feature-table version of the holdout, the measurements, and the tracking versions written.
   */
  public record Evaluated(long featuresVersion, CandidateEvaluation.Result result, long metricsVersion,
                          long gatesVersion) {}

  public Optional<Integer> championVersion() {
    return champion.map(ModelRegistry.Version::version);
  }

  /** The failed gates, each with its slice and its value against its threshold. */
  public String failedGates() {
    List<String> failed = new ArrayList<>();
    gates.stream().filter(g -> !g.passed()).forEach(g -> failed.add(g.gate() + " " + g.metric()
        + (g.slice() == null ? "" : " [" + g.slice() + "]") + " (" + EvaluationTables.format(g.value()) + " vs "
        + EvaluationTables.format(g.threshold()) + ")"));
    return String.join(", ", failed);
  }
}
