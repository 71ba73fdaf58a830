package io.mlcycle.evaluation;

import io.mlcycle.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the configured gates to an evaluation: absolute floors and ceilings on the candidate, the
 * largest allowed worsening versus the champion (only when there is one), and a floor in every slice
 * with enough rows. Returns every gate's value and threshold; the caller decides what a failure does.
 */
public final class GateCheck {
  private GateCheck() {}

  /** One gate's outcome. {@code slice} is null for gates on the whole holdout. */
  public record Result(String gate, String metric, String slice, double value, double threshold, boolean passed) {}

  /**
   * @param candidate the candidate's metrics on the whole holdout
   * @param champion the champion's metrics on the same rows, if there is a champion
   * @param slices the candidate's metrics per slice scope, with their "rows"
   */
  public static List<Result> check(EvaluationSpec spec, Map<String, Double> candidate,
                                   Optional<Map<String, Double>> champion, Map<String, Map<String, Double>> slices) {
    List<Result> results = new ArrayList<>();
    for (EvaluationSpec.Gate gate : spec.gates()) {
      String metric = gate.metric();
      switch (gate.kind()) {
        case MIN -> results.add(floor("min", metric, null, candidate.get(metric), gate.threshold()));
        case MAX -> {
          double value = value(candidate.get(metric));
          results.add(new Result("max", metric, null, value, gate.threshold(), value <= gate.threshold()));
        }
        case MAX_DROP -> champion.ifPresent(c -> {
          double drop = Metric.largerIsBetter(metric)
              ? value(c.get(metric)) - value(candidate.get(metric))
              : value(candidate.get(metric)) - value(c.get(metric));
          results.add(new Result("max-drop", metric, null, drop, gate.threshold(), drop <= gate.threshold()));
        });
        case SLICE_MIN -> slices.forEach((scope, metrics) -> {
          if (metrics.getOrDefault(Metric.ROWS.id(), 0.0) >= spec.minSliceRows()) {
            results.add(floor("slice-min", metric, scope.substring("slice:".length()), metrics.get(metric),
                gate.threshold()));
          }
        });
      }
    }
    return results;
  }

  /**
   * Why a slice-min gate gated nothing, with the setting that would: every slice had fewer holdout rows than
   * {@code pipeline.evaluate.min-slice-rows} (a small table). Empty when there is no such gate or a slice was gated.
   */
  public static Optional<String> ungatedSlices(EvaluationSpec spec, Map<String, Map<String, Double>> slices) {
    boolean sliceGate = spec.gates().stream().anyMatch(g -> g.kind() == EvaluationSpec.GateKind.SLICE_MIN);
    double largest = slices.values().stream().mapToDouble(m -> m.getOrDefault(Metric.ROWS.id(), 0.0)).max().orElse(0);
    if (!sliceGate || slices.isEmpty() || largest >= spec.minSliceRows()) {
      return Optional.empty();
    }
    long rows = Math.max(1, (long) largest);
    return Optional.of("the slice-min gates gated no slice: the largest slice has " + rows + " holdout rows, fewer than"
        + " pipeline.evaluate.min-slice-rows = " + spec.minSliceRows() + ". To gate the slices of this table, set"
        + " pipeline.evaluate.min-slice-rows = " + rows + " or lower");
  }

  /** Go when every gate passed. */
  public static boolean go(List<Result> results) {
    return results.stream().allMatch(Result::passed);
  }

  private static Result floor(String gate, String metric, String slice, Double value, double threshold) {
    double v = value(value);
    return new Result(gate, metric, slice, v, threshold, v >= threshold);
  }

  /** A missing or undefined metric (NaN, e.g. an AUC of a one-class slice) fails every gate. */
  private static double value(Double value) {
    return value == null ? Double.NaN : value;
  }
}
