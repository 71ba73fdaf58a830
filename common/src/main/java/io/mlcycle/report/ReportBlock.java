package io.mlcycle.report;

/**
 * One piece of a report section, rendered the same way to HTML and to notebooks: a paragraph, a table, a
 * chart (a PNG), or the plain statement that the data is not there yet and which job makes it.
 */
public sealed interface ReportBlock {

  /** A paragraph of plain text. */
  record Text(String text) implements ReportBlock {}

  /** A table; {@code source} names the mlcycle tables it was read from. */
  record Table(String caption, String source, Frame frame) implements ReportBlock {}

  /** A chart rendered to PNG; {@code source} names the mlcycle tables it was drawn from. */
  record Chart(String caption, String source, byte[] png, int width, int height) implements ReportBlock {}

  /** Data the section needs does not exist yet; {@code job} is the mlcycle job that writes it. */
  record Missing(String what, String job) implements ReportBlock {
    public String message() {
      return "Not available yet: " + what + ". Run '" + job + "' to produce it.";
    }
  }
}
