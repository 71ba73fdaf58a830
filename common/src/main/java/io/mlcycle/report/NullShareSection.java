package io.mlcycle.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The share of nulls of every profiled column in every batch: a heat map and the columns that had any. */
final class NullShareSection {
  private static final String SOURCE = "_mlcycle/profiles";

  private NullShareSection() {}

  static ReportSection build(ReportData data) {
    List<ReportBlock> blocks = new ArrayList<>();
    if (data.nullShares().isEmpty() || data.nullShares().get().isEmpty()) {
      blocks.add(new ReportBlock.Missing("column profiles per batch (_mlcycle/profiles)", "mlcycle validate"));
      return new ReportSection(Chapter.DATA_QUALITY, "nulls", "Null shares per column and batch", blocks);
    }
    Frame shares = data.nullShares().get();
    List<String> batches = shares.distinct("batch_id");
    List<String> columns = shares.distinct("column");
    Double[][] percent = new Double[columns.size()][batches.size()];
    for (Map<String, Object> row : shares.rows()) {
      percent[columns.indexOf(Frame.text(row, "column"))][batches.indexOf(Frame.text(row, "batch_id"))] =
          100 * Frame.number(row, "null_share");
    }
    blocks.add(new ReportBlock.Text("The percentage of null values of each column of silver, per batch, from the "
        + "profile validate writes (" + columns.size() + " columns, " + batches.size() + " batches)."));
    Frame withNulls = shares.where(r -> Frame.number(r, "null_share") > 0);
    if (withNulls.isEmpty()) {
      blocks.add(new ReportBlock.Text("No column had a null value in any batch."));
    } else {
      blocks.add(ChartRenderer.heatMap("Null values (%) per column and batch", SOURCE, batches, columns, percent));
      blocks.add(new ReportBlock.Table("Columns with nulls", SOURCE, withNulls));
    }
    return new ReportSection(Chapter.DATA_QUALITY, "nulls", "Null shares per column and batch", blocks);
  }
}
