package io.mlcycle.report;

import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reliability of a binary candidate's probabilities: observed positive rate against mean prediction per
 * bin.
 */
final class CalibrationSection {
  private CalibrationSection() {}

  static ReportSection build(ReportData data) {
    if (data.task() != Task.BINARY) {
      return new ReportSection(Chapter.EVALUATION, "calibration", "Calibration", List.of(
          EvaluationMetricsView.notForTask(data, "The reliability diagram",
              "applies to binary models, whose score is the positive class's probability")));
    }
    Frame reliability = data.evaluationMetrics().map(m -> m.where("scope", "reliability")).orElse(null);
    if (reliability == null || reliability.isEmpty()) {
      return new ReportSection(Chapter.EVALUATION, "calibration", "Calibration",
          List.of(EvaluationMetricsView.missing(data, "the reliability (calibration) bins")));
    }
    Map<Integer, Object[]> bins = new TreeMap<>();
    for (Map<String, Object> row : reliability.rows()) {
      Object[] bin = bins.computeIfAbsent((Integer) row.get("grid_point"), b -> new Object[3]);
      switch (Frame.text(row, "name")) {
        case "mean_predicted" -> bin[0] = row.get("value");
        case "observed" -> bin[1] = row.get("value");
        case "rows" -> bin[2] = row.get("value");
        default -> { }
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    bins.forEach((b, v) -> rows.add(Arrays.asList(b, v[0], v[1], v[2])));
    Frame table = Frame.of(List.of("bin", "mean_predicted", "observed", "rows"), rows);
    double[][] curve = EvaluationMetricsView.curve(reliability, "reliability", "mean_predicted", "observed");
    return new ReportSection(Chapter.EVALUATION, "calibration", "Calibration", List.of(
        new ReportBlock.Text("Per bin of predicted probability: the mean prediction and the observed share of "
            + "positives. A calibrated model lies on the diagonal."),
        ChartRenderer.lines("Reliability diagram", EvaluationMetricsView.SOURCE, "mean predicted probability",
            "observed positive rate", Map.of("candidate", curve), true),
        new ReportBlock.Table("Reliability bins", EvaluationMetricsView.SOURCE, table)));
  }
}
