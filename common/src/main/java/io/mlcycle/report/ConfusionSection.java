package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import java.util.List;
import java.util.Map;

/** The candidate's confusion matrix at its decision threshold. */
final class ConfusionSection {
  private ConfusionSection() {}

  static ReportSection build(ReportData data) {
    Map<String, Double> counts = data.evaluationMetrics().map(m -> EvaluationMetricsView.values(m, "confusion"))
        .orElse(Map.of());
    if (counts.isEmpty()) {
      return new ReportSection(Chapter.EVALUATION, "confusion", "Confusion matrix",
          List.of(EvaluationMetricsView.missing(data, "the confusion matrix")));
    }
    double tp = counts.getOrDefault("tp", 0.0);
    double fp = counts.getOrDefault("fp", 0.0);
    double tn = counts.getOrDefault("tn", 0.0);
    double fn = counts.getOrDefault("fn", 0.0);
    Double threshold = EvaluationMetricsView.values(data.evaluationMetrics().get(), "evaluation")
        .get(Metric.THRESHOLD.id());
    Frame matrix = Frame.of(List.of("actual", "predicted positive", "predicted negative"), List.of(
        List.of("positive", tp, fn), List.of("negative", fp, tn)));
    Double[][] cells = {{tp, fn}, {fp, tn}};
    return new ReportSection(Chapter.EVALUATION, "confusion", "Confusion matrix", List.of(
        new ReportBlock.Text("Rows of the evaluation set by actual and predicted class at threshold "
            + Cells.format(threshold) + "."),
        new ReportBlock.Table("Confusion matrix", EvaluationMetricsView.SOURCE, matrix),
        ChartRenderer.heatMap("Confusion matrix (rows)", EvaluationMetricsView.SOURCE,
            List.of("predicted positive", "predicted negative"), List.of("actual positive", "actual negative"),
            cells)));
  }
}
