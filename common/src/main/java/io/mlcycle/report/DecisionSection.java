package io.mlcycle.report;

import java.util.List;

/** Every retrain decision with its reason and whether it triggered a retraining. */
final class DecisionSection {
  private DecisionSection() {}

  static ReportSection build(ReportData data) {
    Frame decisions = data.decisions().orElse(null);
    if (decisions == null || decisions.isEmpty()) {
      return new ReportSection(Chapter.MONITORING, "decisions", "Retrain decisions",
          List.of(new ReportBlock.Missing("retrain decisions (_mlcycle/decisions)", "mlcycle retrain")));
    }
    long triggered = decisions.rows().stream().filter(r -> Boolean.TRUE.equals(r.get("triggered"))).count();
    return new ReportSection(Chapter.MONITORING, "decisions", "Retrain decisions", List.of(
        new ReportBlock.Text(decisions.rows().size() + " decisions, " + triggered + " of which triggered a retraining."),
        new ReportBlock.Table("Retrain decisions", "_mlcycle/decisions", decisions)));
  }
}
