package io.mlcycle.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report as Jupyter notebooks (nbformat 4.5), one per chapter, with every output already rendered:
 * tables as {@code text/html} (with a {@code text/plain} twin) and charts as {@code image/png}, so that
 * GitHub and JupyterLab show them without running anything. Code cells hold no code to run: their
 * source names the tables an output was read from.
 */
public final class NotebookExport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private NotebookExport() {}

  /** File name → notebook JSON, e.g. {@code 01-data-quality.ipynb}, in chapter order. */
  public static Map<String, String> render(Report report) {
    Map<String, String> notebooks = new LinkedHashMap<>();
    for (Chapter chapter : Chapter.values()) {
      notebooks.put(String.format("%02d-%s.ipynb", chapter.ordinal() + 1, chapter.slug()), notebook(report, chapter));
    }
    return notebooks;
  }

  private static String notebook(Report report, Chapter chapter) {
    CellList cells = new CellList(chapter.slug());
    ReportSubject s = report.subject();
    cells.markdown("# " + s.pipeline() + ": " + chapter.title() + "\n\n"
        + "Exported by `mlcycle report` for model `" + s.model() + "`, training run `" + s.runId() + "`"
        + s.evaluationRunId().map(e -> ", evaluation run `" + e + "`").orElse("") + ", on " + s.generatedAt()
        + ". Tables live under the storage root `" + s.storageRoot() + "`. The outputs are rendered: "
        + "nothing needs to run.");
    for (ReportSection section : report.sections(chapter)) {
      cells.markdown("## " + section.title());
      for (ReportBlock block : section.blocks()) {
        cells.block(block);
      }
    }
    Map<String, Object> notebook = new LinkedHashMap<>();
    notebook.put("cells", cells.cells);
    notebook.put("metadata", Map.of(
        "kernelspec", Map.of("name", "python3", "display_name", "Python 3", "language", "python"),
        "language_info", Map.of("name", "python")));
    notebook.put("nbformat", 4);
    notebook.put("nbformat_minor", 5);
    try {
      return JSON.writeValueAsString(notebook) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render a notebook as JSON", e);
    }
  }

  /** The cells of one notebook, with ids unique within it and code cells counted in order. */
  private static final class CellList {
    private final String prefix;
    private final List<Map<String, Object>> cells = new ArrayList<>();
    private int executions;

    CellList(String prefix) {
      this.prefix = prefix;
    }

    void block(ReportBlock block) {
      if (block instanceof ReportBlock.Text text) {
        markdown(text.text());
      } else if (block instanceof ReportBlock.Missing missing) {
        markdown("> **" + missing.message() + "**");
      } else if (block instanceof ReportBlock.Table table) {
        display(table.caption(), table.source(), Map.of(
            "text/html", HtmlTable.render(table.frame()),
            "text/plain", HtmlTable.plain(table.frame())), Map.of());
      } else {
        ReportBlock.Chart chart = (ReportBlock.Chart) block;
        display(chart.caption(), chart.source(), Map.of(
            "image/png", Base64.getEncoder().encodeToString(chart.png()),
            "text/plain", "<" + chart.caption() + ": " + chart.width() + "x" + chart.height() + " PNG>"),
            Map.of("image/png", Map.of("width", chart.width(), "height", chart.height())));
      }
    }

    void markdown(String text) {
      Map<String, Object> cell = cell("markdown", text);
      cells.add(cell);
    }

    private void display(String caption, String source, Map<String, Object> data, Map<String, Object> metadata) {
      Map<String, Object> cell = cell("code", "# " + caption + "\n# read from " + source
          + " under the storage root; rendered by mlcycle report");
      cell.put("execution_count", ++executions);
      cell.put("outputs", List.of(Map.of("output_type", "display_data", "data", data, "metadata", metadata)));
      cells.add(cell);
    }

    private Map<String, Object> cell(String type, String source) {
      Map<String, Object> cell = new LinkedHashMap<>();
      cell.put("cell_type", type);
      cell.put("id", prefix + "-" + (cells.size() + 1));
      cell.put("metadata", Map.of());
      cell.put("source", source);
      return cell;
    }
  }
}
