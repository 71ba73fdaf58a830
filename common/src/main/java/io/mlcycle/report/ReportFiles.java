package io.mlcycle.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a report's files through Hadoop's FileSystem, so that a report lands the same in a local folder
 * and under {@code s3a://}: the HTML page, and the notebooks folder (Jupyter notebooks plus the
 * Databricks SQL notebook {@code <pipeline>-tables.sql}).
 */
public final class ReportFiles {
  private final Configuration hadoop;

  public ReportFiles(Configuration hadoop) {
    this.hadoop = hadoop;
  }

  /** Writes the HTML report to {@code file}, replacing it; returns the qualified path written. */
  public String writeHtml(Report report, String file) {
    return write(new Path(file), HtmlReport.render(report));
  }

  /** Writes every notebook of the report into {@code folder}; returns the qualified paths written. */
  public List<String> writeNotebooks(Report report, String folder) {
    List<String> written = new ArrayList<>();
    for (Map.Entry<String, String> notebook : NotebookExport.render(report).entrySet()) {
      written.add(write(new Path(folder, notebook.getKey()), notebook.getValue()));
    }
    written.add(write(new Path(folder, report.subject().pipeline() + "-tables.sql"),
        DatabricksSqlNotebook.render(report.subject())));
    return written;
  }

  private String write(Path path, String content) {
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (fs instanceof LocalFileSystem local) {
        // A report is a file for people: no hidden .crc files beside it.
        fs = local.getRawFileSystem();
      }
      try (OutputStream out = fs.create(path, true)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      return fs.makeQualified(path).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report file " + path, e);
    }
  }
}
