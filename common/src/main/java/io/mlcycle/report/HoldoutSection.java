package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The holdout metrics: the training run's own, and once evaluate has run, the candidate's beside the
 * champion's on the same rows with the difference and its confidence interval.
 */
final class HoldoutSection {
  private HoldoutSection() {}

  static ReportSection build(ReportData data) {
    List<ReportBlock> blocks = new ArrayList<>();
    Frame holdout = data.trainingMetrics().map(m -> m.where("scope", "holdout")).orElse(null);
    if (holdout == null || holdout.isEmpty()) {
      blocks.add(new ReportBlock.Missing("the holdout metrics of run " + data.subject().runId(), "mlcycle train"));
    } else {
      List<List<Object>> rows = holdout.rows().stream().map(r -> Arrays.<Object>asList(Frame.text(r, "name"),
          r.get("value"), meaning(Frame.text(r, "name")))).toList();
      blocks.add(new ReportBlock.Text("A " + data.task().id() + " model (its grid point chosen by "
          + data.selectionMetric().id() + "): metrics of the refitted model on the rows the split held out from "
          + "training."));
      blocks.add(new ReportBlock.Table("Holdout metrics (training run " + data.subject().runId() + ")",
          "_mlcycle/metrics", Frame.of(List.of("name", "value", "meaning"), rows)));
    }
    Frame evaluation = data.evaluationMetrics().orElse(null);
    if (evaluation == null) {
      blocks.add(new ReportBlock.Missing("the comparison of this candidate with the champion on the same rows",
          "mlcycle evaluate"));
      return new ReportSection(Chapter.TRAINING, "holdout", "Holdout metrics", blocks);
    }
    Map<String, List<Object>> byMetric = new LinkedHashMap<>();
    List<String> scopes = List.of("evaluation", "champion", "difference");
    for (Map<String, Object> row : evaluation.rows()) {
      String scope = Frame.text(row, "scope");
      String name = Frame.text(row, "name");
      String metric = name.replaceAll("\\.ci_(low|high)$", "");
      int column = !scopes.contains(scope) ? -1 : name.endsWith(".ci_low") ? 3 : name.endsWith(".ci_high") ? 4
          : scopes.indexOf(scope);
      if (column >= 0) {
        List<Object> cells = byMetric.computeIfAbsent(metric,
            m -> new ArrayList<>(Arrays.asList(m, null, null, null, null, null, meaning(m))));
        cells.set(column + 1, row.get("value"));
      }
    }
    blocks.add(new ReportBlock.Text("Evaluation run " + data.subject().evaluationRunId().orElseThrow()
        + ": the candidate and the champion on the same holdout rows; the difference is candidate minus champion, "
        + "with its confidence interval."));
    blocks.add(new ReportBlock.Table("Candidate against champion", "_mlcycle/metrics",
        Frame.of(List.of("metric", "candidate", "champion", "difference", "ci_low", "ci_high", "meaning"),
            List.copyOf(byMetric.values()))));
    return new ReportSection(Chapter.TRAINING, "holdout", "Holdout metrics", blocks);
  }

  /** The metric's one meaning in the vocabulary ({@link Metric#meaning}); empty for a name outside it. */
  private static String meaning(String name) {
    return Metric.find(name).map(Metric::meaning).orElse("");
  }
}
