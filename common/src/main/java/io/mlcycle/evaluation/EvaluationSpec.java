package io.mlcycle.evaluation;

import com.typesafe.config.Config;
import io.mlcycle.config.ConfigElement;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code pipeline.evaluate} section, checked whole before any data is read: the decision threshold,
 * slices, bootstrap, business values and the gates.
 */
public record EvaluationSpec(double threshold, boolean optimiseThreshold, List<String> slices, long minSliceRows,
                             int bootstrapSamples, double confidence, long bootstrapSeed, Business business,
                             List<Gate> gates, boolean enforce) {
  private static final String ROOT = "pipeline.evaluate";

  /** What a decision is worth per row: value of a true positive, cost of a false positive and of a false negative. */
  public record Business(double truePositiveValue, double falsePositiveCost, double falseNegativeCost) {
    public boolean configured() {
      return truePositiveValue != 0 || falsePositiveCost != 0 || falseNegativeCost != 0;
    }

    /** Business value per scored row of a confusion matrix. */
    public double perRow(double tp, double fp, double fn, double rows) {
      return rows == 0 ? Double.NaN : (truePositiveValue * tp - falsePositiveCost * fp - falseNegativeCost * fn) / rows;
    }
  }

  /** The kinds of gate: a floor, a ceiling, the largest worsening versus the champion, a floor in every slice. */
  public enum GateKind {
    MIN("min"), MAX("max"), MAX_DROP("max-drop"), SLICE_MIN("slice-min");

    private final String key;

    GateKind(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  /** One configured gate on one metric. */
  public record Gate(GateKind kind, String metric, double threshold) {}

  public static EvaluationSpec from(Config config, Task task) {
    ConfigElement section = new ConfigElement(ROOT, config.getConfig(ROOT), "pipeline.evaluate");
    double threshold = section.number("threshold");
    if (threshold <= 0 || threshold >= 1) {
      throw section.invalid("threshold", "a decision threshold is a probability between 0 and 1 (exclusive)");
    }
    boolean optimise = section.bool("optimise-threshold", false);
    ConfigElement business = section.child("business").orElseThrow();
    Business values = new Business(business.number("true-positive-value"), business.number("false-positive-cost"),
        business.number("false-negative-cost"));
    if (optimise && (task != Task.BINARY || !values.configured())) {
      throw section.invalid("optimise-threshold", task != Task.BINARY
          ? "a decision threshold exists only for task binary"
          : "choosing the threshold needs a business value: set pipeline.evaluate.business");
    }
    long minSliceRows = (long) section.number("min-slice-rows");
    ConfigElement bootstrap = section.child("bootstrap").orElseThrow();
    int samples = (int) bootstrap.number("samples");
    if (samples < 20) {
      throw bootstrap.invalid("samples", "a confidence interval needs at least 20 bootstrap samples");
    }
    double confidence = bootstrap.number("confidence");
    if (confidence <= 0 || confidence >= 1) {
      throw bootstrap.invalid("confidence", "a confidence level is between 0 and 1 (exclusive), e.g. 0.95");
    }
    ConfigElement gates = section.child("gates").orElseThrow();
    String mode = gates.string("mode");
    if (!mode.equals("enforce") && !mode.equals("dry-run")) {
      throw gates.invalid("mode", "'" + mode + "' is not enforce or dry-run");
    }
    return new EvaluationSpec(threshold, optimise, List.copyOf(section.strings("slices")), minSliceRows, samples,
        confidence, (long) bootstrap.number("seed"), values, gates(gates, task), mode.equals("enforce"));
  }

  private static List<Gate> gates(ConfigElement gates, Task task) {
    Set<Metric> metrics = EvaluationMetrics.gateable(task);
    List<Gate> result = new ArrayList<>();
    for (GateKind kind : GateKind.values()) {
      ConfigElement map = gates.child(kind.key()).orElseThrow();
      for (Map.Entry<String, Object> entry : map.values().entrySet()) {
        String key = kind.key() + "." + entry.getKey();
        Optional<String> unfit = Metric.check(entry.getKey(), task, metrics, "a gateable metric");
        if (unfit.isPresent()) {
          throw gates.invalid(key, unfit.get());
        }
        if (!(entry.getValue() instanceof Number number)) {
          throw gates.invalid(key, "expected a number but got " + entry.getValue());
        }
        if (kind == GateKind.MAX_DROP && number.doubleValue() < 0) {
          throw gates.invalid(key, "the largest allowed drop cannot be negative");
        }
        result.add(new Gate(kind, entry.getKey(), number.doubleValue()));
      }
    }
    return List.copyOf(result);
  }
}
