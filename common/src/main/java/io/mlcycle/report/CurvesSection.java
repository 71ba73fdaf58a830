package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The candidate's ROC and precision-recall curves on the evaluation rows (binary models). */
final class CurvesSection {
  private static final String TITLE = "ROC and precision-recall curves";

  private CurvesSection() {}

  static ReportSection build(ReportData data) {
    if (data.task() != Task.BINARY) {
      return new ReportSection(Chapter.EVALUATION, "curves", TITLE, List.of(EvaluationMetricsView.notForTask(data,
          "ROC and precision-recall curves", "apply to binary models, whose scores rank a positive class")));
    }
    List<ReportBlock> blocks = new ArrayList<>();
    Frame metrics = data.evaluationMetrics().orElse(null);
    double[][] roc = metrics == null ? new double[2][0]
        : EvaluationMetricsView.curve(metrics, "roc", "fpr", "tpr");
    double[][] pr = metrics == null ? new double[2][0]
        : EvaluationMetricsView.curve(metrics, "pr", "recall", "precision");
    if (roc[0].length == 0 && pr[0].length == 0) {
      blocks.add(EvaluationMetricsView.missing(data, "the ROC and precision-recall curves"));
    } else {
      Map<String, Double> candidate = EvaluationMetricsView.values(metrics, "evaluation");
      blocks.add(new ReportBlock.Text("ROC AUC " + Cells.format(candidate.get(Metric.AREA_UNDER_ROC.id()))
          + ", PR AUC " + Cells.format(candidate.get(Metric.AREA_UNDER_PR.id())) + " on "
          + Cells.format(candidate.get(Metric.ROWS.id())) + " evaluation rows."));
      if (roc[0].length > 0) {
        blocks.add(ChartRenderer.lines("ROC curve", EvaluationMetricsView.SOURCE, "false positive rate",
            "true positive rate", Map.of("candidate", roc), true));
      }
      if (pr[0].length > 0) {
        blocks.add(ChartRenderer.lines("Precision-recall curve", EvaluationMetricsView.SOURCE, "recall", "precision",
            Map.of("candidate", pr), false));
      }
    }
    return new ReportSection(Chapter.EVALUATION, "curves", TITLE, blocks);
  }
}
