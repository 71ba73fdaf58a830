package io.mlcycle.report;

import java.util.List;
import java.util.Map;

/** Every gate of the evaluation with its value, threshold and outcome, and the decision they led to. */
final class GateSection {
  private GateSection() {}

  static ReportSection build(ReportData data) {
    Frame gates = data.gates().orElse(null);
    if (gates == null || gates.isEmpty()) {
      return new ReportSection(Chapter.EVALUATION, "gates", "Gates and decision",
          List.of(EvaluationMetricsView.missing(data, "the gate table and decision (_mlcycle/gates)")));
    }
    Map<String, Object> first = gates.rows().get(0);
    long failed = gates.rows().stream().filter(r -> Boolean.FALSE.equals(r.get("passed"))).count();
    String decision = "Decision: " + Frame.text(first, "decision").toUpperCase() + " (mode " + Frame.text(first, "mode")
        + "; " + failed + " of " + gates.rows().size() + " gates failed; champion version "
        + (first.get("champion_version") == null ? "none" : Frame.text(first, "champion_version")) + ").";
    return new ReportSection(Chapter.EVALUATION, "gates", "Gates and decision", List.of(
        new ReportBlock.Text(decision),
        new ReportBlock.Table("Gates", "_mlcycle/gates",
            gates.select("gate", "metric", "slice", "value", "threshold", "passed"))));
  }
}
