package io.mlcycle.report;

import io.mlcycle.base.TextTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A frame as an HTML table, for the report and for notebook outputs; long tables show their first rows. */
final class HtmlTable {
  static final int MAX_ROWS = 200;

  private HtmlTable() {}

  static String render(Frame frame) {
    StringBuilder html = new StringBuilder("<table class=\"dataframe\">\n<thead><tr>");
    for (String column : frame.columns()) {
      html.append("<th>").append(escape(column)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    frame.rows().stream().limit(MAX_ROWS).forEach(row -> html.append(row(frame, row)));
    html.append("</tbody>\n</table>\n");
    if (frame.rows().size() > MAX_ROWS) {
      html.append("<p>").append(MAX_ROWS).append(" of ").append(frame.rows().size()).append(" rows shown.</p>\n");
    }
    return html.toString();
  }

  private static String row(Frame frame, Map<String, Object> row) {
    StringBuilder html = new StringBuilder("<tr>");
    for (String column : frame.columns()) {
      Object value = row.get(column);
      html.append(value instanceof Number ? "<td class=\"num\">" : "<td>").append(escape(Cells.format(value)))
          .append("</td>");
    }
    return html.append("</tr>\n").toString();
  }

  /** The frame as aligned plain text: the {@code text/plain} twin of a notebook's HTML table. */
  static String plain(Frame frame) {
    TextTable text = new TextTable(frame.columns().toArray(String[]::new));
    frame.rows().stream().limit(MAX_ROWS)
        .forEach(row -> text.row(frame.columns().stream().map(c -> Cells.format(row.get(c))).toArray()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    text.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
