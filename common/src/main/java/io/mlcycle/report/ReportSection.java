package io.mlcycle.report;

import java.util.List;

/** One section of a report: its chapter, an anchor id, a title and its blocks, in reading order. */
public record ReportSection(Chapter chapter, String id, String title, List<ReportBlock> blocks) {
  public ReportSection {
    blocks = List.copyOf(blocks);
  }
}
