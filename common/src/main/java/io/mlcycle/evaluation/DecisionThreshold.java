package io.mlcycle.evaluation;

import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.HeldOutMetrics;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one policy for the probability from which a binary model predicts the positive class, used by
 * evaluate, score and the promotion's smoke test alike, so that a model decides the same way wherever it
 * runs: the threshold its training run chose on the validation folds when
 * {@code pipeline.evaluate.optimise-threshold} is on and the run chose one, else
 * {@code pipeline.evaluate.threshold}.
 */
public final class DecisionThreshold {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionThreshold.class);

  private DecisionThreshold() {}

  /** The threshold for a run that chose {@code chosen} (empty when it chose none). */
  public static double of(EvaluationSpec spec, Optional<Double> chosen) {
    if (!spec.optimiseThreshold()) {
      return spec.threshold();
    }
    if (chosen.isEmpty()) {
      LOG.warn("the training run chose no decision threshold (it had no validation folds, or was trained with "
          + "pipeline.evaluate.optimise-threshold = false): deciding at pipeline.evaluate.threshold = {}",
          spec.threshold());
    }
    return chosen.orElse(spec.threshold());
  }

  /** The threshold for training run {@code runId}, as its metrics recorded the choice. */
  public static double forRun(TrackingTables tracking, EvaluationSpec spec, String runId) {
    return of(spec, spec.optimiseThreshold() ? tracking.chosenThreshold(runId) : Optional.empty());
  }

  /**
   * What training maximises on the validation folds to choose a run's threshold: the business value per row,
   * when {@code pipeline.evaluate.optimise-threshold} asks for a chosen threshold; else empty (choose none).
   */
  public static Optional<HeldOutMetrics.DecisionValue> trainingObjective(EvaluationSpec spec) {
    if (!spec.optimiseThreshold()) {
      return Optional.empty();
    }
    EvaluationSpec.Business business = spec.business();
    return Optional.of((tp, fp, fn) -> business.perRow(tp, fp, fn, 1));
  }
}
