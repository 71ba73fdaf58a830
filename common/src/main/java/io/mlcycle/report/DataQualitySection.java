package io.mlcycle.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per batch: the rows validate checked, the rows quarantined by reason, and the rules that did not pass. */
final class DataQualitySection {
  private static final String SOURCE = "_mlcycle/quality, quarantine/";

  private DataQualitySection() {}

  static ReportSection build(ReportData data) {
    String source = SOURCE + data.subject().pipeline();
    List<ReportBlock> blocks = new ArrayList<>();
    if (data.batches().isEmpty()) {
      blocks.add(new ReportBlock.Missing("the quality history of the batches (_mlcycle/quality)",
          "mlcycle ingest, then mlcycle validate"));
      return new ReportSection(Chapter.DATA_QUALITY, "quality", "Data quality per batch", blocks);
    }
    Frame batches = data.batches().get();
    blocks.add(new ReportBlock.Text("Each batch as validate saw it: the rows it checked, the rows sent to quarantine "
        + "(at ingest: lines that did not parse; at validate: rows failing a drop rule), and how many rules did "
        + "not pass. " + batches.rows().size() + " batches."));
    blocks.add(new ReportBlock.Table("Batches", source, batches));
    Frame quarantined = data.quarantined().orElseThrow();
    if (quarantined.isEmpty()) {
      blocks.add(new ReportBlock.Text("No row was quarantined in any batch."));
    } else {
      List<String> batchIds = batches.distinct("batch_id");
      Map<String, List<Double>> byReason = new LinkedHashMap<>();
      for (Map<String, Object> row : quarantined.rows()) {
        String reason = Frame.text(row, "stage") + ": " + shortReason(Frame.text(row, "reason"));
        List<Double> counts = byReason.computeIfAbsent(reason, r -> zeros(batchIds.size()));
        int at = batchIds.indexOf(Frame.text(row, "batch_id"));
        if (at >= 0) {
          counts.set(at, counts.get(at) + Frame.number(row, "rows"));
        }
      }
      blocks.add(ChartRenderer.bars("Quarantined rows by reason and batch", source, "batch", "rows", batchIds,
          byReason, true));
      blocks.add(new ReportBlock.Table("Quarantined rows by reason", source, quarantined));
    }
    Frame notPassed = data.ruleOutcomes().orElseThrow().where(r -> !"passed".equals(r.get("status")));
    blocks.add(notPassed.isEmpty() ? new ReportBlock.Text("Every rule passed on every batch.")
        : new ReportBlock.Table("Rules that did not pass", "_mlcycle/quality", notPassed));
    return new ReportSection(Chapter.DATA_QUALITY, "quality", "Data quality per batch", blocks);
  }

  /** A reason up to its first detail, so that one rule is one bar whatever the offending values were. */
  private static String shortReason(String reason) {
    int colon = reason.indexOf(':');
    String head = colon > 0 ? reason.substring(0, colon) : reason;
    return head.length() > 48 ? head.substring(0, 45) + "..." : head;
  }

  private static List<Double> zeros(int size) {
    List<Double> zeros = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      zeros.add(0.0);
    }
    return zeros;
  }
}
