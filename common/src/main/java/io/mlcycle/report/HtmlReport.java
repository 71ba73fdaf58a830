package io.mlcycle.report;

import java.util.Base64;

/**
 * A report as one self-contained HTML page: styles inline, charts as PNG data URIs, no script and no
 * request to anywhere, so it opens offline and can be mailed or archived as one file.
 */
public final class HtmlReport {
  private static final String STYLE = """
      body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #222; }
      header { background: #1f3b57; color: #fff; padding: 1.2em 2em; }
      header h1 { margin: 0 0 .3em 0; font-size: 1.6em; }
      header dl { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; margin: 0; }
      header dt { opacity: .75; }
      header dd { margin: 0; font-family: monospace; }
      nav { padding: .8em 2em; background: #f3f5f7; border-bottom: 1px solid #dde; columns: 3; }
      nav a { color: #1f3b57; text-decoration: none; display: block; }
      nav a.chapter { font-weight: bold; margin-top: .4em; }
      main { padding: 0 2em 3em 2em; max-width: 1100px; }
      h2 { border-bottom: 2px solid #1f3b57; padding-bottom: .2em; margin-top: 1.6em; }
      section { margin: 1.2em 0 2em 0; }
      figure { margin: 1em 0; }
      figcaption { font-size: .9em; color: #555; margin-bottom: .3em; }
      figcaption .source { font-family: monospace; color: #888; margin-left: .6em; }
      img { max-width: 100%; height: auto; border: 1px solid #eee; }
      table { border-collapse: collapse; font-size: .85em; }
      th, td { border: 1px solid #ccd; padding: .2em .5em; text-align: left; }
      th { background: #eef1f4; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      .missing { background: #fff7e0; border-left: 4px solid #e0a800; padding: .6em 1em; }
      """;

  private HtmlReport() {}

  public static String render(Report report) {
    StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(HtmlTable.escape(report.title())).append("</title>\n<style>\n").append(STYLE)
        .append("</style>\n</head>\n<body>\n").append(header(report)).append(contents(report)).append("<main>\n");
    for (Chapter chapter : Chapter.values()) {
      html.append("<h2 id=\"").append(chapter.slug()).append("\">").append(chapter.title()).append("</h2>\n");
      for (ReportSection section : report.sections(chapter)) {
        html.append("<section id=\"").append(section.id()).append("\">\n<h3>").append(HtmlTable.escape(section.title()))
            .append("</h3>\n");
        section.blocks().forEach(block -> html.append(block(block)));
        html.append("</section>\n");
      }
    }
    return html.append("</main>\n</body>\n</html>\n").toString();
  }

  private static String header(Report report) {
    ReportSubject s = report.subject();
    return "<header>\n<h1>" + HtmlTable.escape(report.title()) + "</h1>\n<dl>\n"
        + item("pipeline", s.pipeline()) + item("model", s.model()) + item("training run", s.runId())
        + item("evaluation run", s.evaluationRunId().orElse("none yet")) + item("storage root", s.storageRoot())
        + item("generated", s.generatedAt().toString()) + "</dl>\n</header>\n";
  }

  private static String item(String name, String value) {
    return "<dt>" + name + "</dt><dd>" + HtmlTable.escape(value) + "</dd>\n";
  }

  private static String contents(Report report) {
    StringBuilder nav = new StringBuilder("<nav>\n");
    for (Chapter chapter : Chapter.values()) {
      nav.append("<a class=\"chapter\" href=\"#").append(chapter.slug()).append("\">").append(chapter.title())
          .append("</a>\n");
      for (ReportSection section : report.sections(chapter)) {
        nav.append("<a href=\"#").append(section.id()).append("\">").append(HtmlTable.escape(section.title()))
            .append("</a>\n");
      }
    }
    return nav.append("</nav>\n").toString();
  }

  private static String block(ReportBlock block) {
    if (block instanceof ReportBlock.Text text) {
      return "<p>" + HtmlTable.escape(text.text()) + "</p>\n";
    }
    if (block instanceof ReportBlock.Missing missing) {
      return "<p class=\"missing\">" + HtmlTable.escape(missing.message()) + "</p>\n";
    }
    if (block instanceof ReportBlock.Table table) {
      return "<figure>\n" + caption(table.caption(), table.source()) + HtmlTable.render(table.frame()) + "</figure>\n";
    }
    ReportBlock.Chart chart = (ReportBlock.Chart) block;
    return "<figure>\n" + caption(chart.caption(), chart.source()) + "<img alt=\"" + HtmlTable.escape(chart.caption())
        + "\" width=\"" + chart.width() + "\" height=\"" + chart.height() + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(chart.png()) + "\">\n</figure>\n";
  }

  private static String caption(String caption, String source) {
    return "<figcaption>" + HtmlTable.escape(caption) + "<span class=\"source\">" + HtmlTable.escape(source)
        + "</span></figcaption>\n";
  }
}
