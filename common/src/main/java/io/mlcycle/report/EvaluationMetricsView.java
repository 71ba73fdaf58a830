package io.mlcycle.report;

import io.mlcycle.evaluation.EvaluationMetrics;
import io.mlcycle.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's view of an evaluation run's rows of {@value #SOURCE}, by scope: points of curves, and
 * name → value maps. (The metrics themselves are computed by {@link EvaluationMetrics}.)
 */
final class EvaluationMetricsView {
  static final String SOURCE = "_mlcycle/metrics";

  private EvaluationMetricsView() {}

  /** The missing-block of every evaluation section before evaluate has run for this training run. */
  static ReportBlock.Missing missing(ReportData data, String what) {
    return new ReportBlock.Missing(what + " for run " + data.subject().runId(), "mlcycle evaluate");
  }

  /**
   * The plain statement that a section's content does not apply to the model's task (instead of a "not
   * available yet" that no job would ever fill), and where the task's own metrics are.
   */
  static ReportBlock.Text notForTask(ReportData data, String what, String appliesTo) {
    return new ReportBlock.Text(what + " " + appliesTo + "; this is a " + data.task().id() + " model, whose "
        + "evaluation metrics (" + String.join(", ", headlineFirst(data).stream().map(Metric::id).toList())
        + ") are under Holdout metrics.");
  }

  /** The metrics evaluate measures for the model's task, the model's selection metric first. */
  static List<Metric> headlineFirst(ReportData data) {
    Metric selection = data.selectionMetric();
    List<Metric> metrics = new ArrayList<>(List.of(selection));
    EvaluationMetrics.gateable(data.task()).stream().sorted().filter(m -> m != selection).forEach(metrics::add);
    return metrics;
  }

  /** {@code [x[], y[]]} of a curve stored as one grid point per point, ordered by point index. */
  static double[][] curve(Frame metrics, String scope, String x, String y) {
    Map<Integer, double[]> points = new TreeMap<>();
    for (Map<String, Object> row : metrics.where("scope", scope).rows()) {
      double[] point = points.computeIfAbsent((Integer) row.get("grid_point"),
          p -> new double[] {Double.NaN, Double.NaN});
      String name = Frame.text(row, "name");
      if (name.equals(x)) {
        point[0] = Frame.number(row, "value");
      } else if (name.equals(y)) {
        point[1] = Frame.number(row, "value");
      }
    }
    double[][] curve = new double[2][points.size()];
    int i = 0;
    for (double[] point : points.values()) {
      curve[0][i] = point[0];
      curve[1][i++] = point[1];
    }
    return curve;
  }

  /** name → value of one scope. */
  static Map<String, Double> values(Frame metrics, String scope) {
    Map<String, Double> values = new TreeMap<>();
    metrics.where("scope", scope).rows().forEach(r -> values.put(Frame.text(r, "name"), Frame.number(r, "value")));
    return values;
  }

  static List<String> scopes(Frame metrics, String prefix) {
    return metrics.distinct("scope").stream().filter(s -> s.startsWith(prefix)).sorted().toList();
  }
}
