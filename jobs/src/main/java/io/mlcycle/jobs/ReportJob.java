package io.mlcycle.jobs;

import io.mlcycle.base.Steps;
import io.mlcycle.report.Report;
import io.mlcycle.report.ReportBlock;
import io.mlcycle.report.ReportData;
import io.mlcycle.report.ReportFiles;
import io.mlcycle.report.ReportReader;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One self-contained HTML report of a training run, and optionally the same as notebooks. */
@Command(name = "report", description = "Write an HTML report of a training run (data quality to lineage);"
    + " --notebooks also exports Jupyter and Databricks notebooks.")
final class ReportJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);

  @Option(names = "--run", paramLabel = "ID", description = "Training run to report on (default: the current champion's, else the model's latest).")
  String run;

  @Option(names = "--output", paramLabel = "FILE",
      description = "HTML file to write (default: <storage root>/reports/<pipeline>-<run>.html).")
  String output;

  @Option(names = "--notebooks", paramLabel = "DIR",
      description = "Also write the report as Jupyter notebooks and a Databricks SQL notebook into DIR.")
  String notebooks;

  /** What a report run wrote. */
  record Written(String runId, String html, List<String> notebooks, long sections, long missing) {}

  @Override
  public void run(JobContext context) {
    Written written = write(context, run, output, notebooks);
    context.out().println("Report on run " + written.runId() + ": " + written.html());
    written.notebooks().forEach(n -> context.out().println("Notebook: " + n));
    context.summary()
        .count("sections", written.sections())
        .count("sections_not_available_yet", written.missing())
        .count("notebooks", written.notebooks().size())
        .message("report on run " + written.runId() + " at " + written.html());
  }

  /** Reads the run's tables and writes the report (and notebooks when {@code notebookDir} is set). */
  static Written write(JobContext context, String runId, String htmlFile, String notebookDir) {
    String pipeline = context.pipeline().name();
    String model = context.pipeline().training().name();
    ReportReader reader = new ReportReader(context.spark(), context.storage());
    String reported = reader.trainingRun(model, Optional.ofNullable(runId));
    ReportData data = Steps.timed(LOG, "report: read tables", () -> reader.read(pipeline, model, reported,
        context.settings().storageRoot(), context.clock().instant().truncatedTo(ChronoUnit.SECONDS)));
    Report report = Steps.timed(LOG, "report: draw sections", () -> Report.of(data));
    ReportFiles files = new ReportFiles(context.spark().sparkContext().hadoopConfiguration());
    String html = files.writeHtml(report, htmlFile != null ? htmlFile
        : context.storage().path("reports/" + pipeline + "-" + reported + ".html"));
    List<String> written = notebookDir == null ? List.of() : files.writeNotebooks(report, notebookDir);
    long missing = report.sections().stream()
        .filter(s -> s.blocks().stream().anyMatch(b -> b instanceof ReportBlock.Missing)).count();
    LOG.info("report on run {}: {} sections ({} with data not available yet), {} notebooks", reported,
        report.sections().size(), missing, written.size());
    return new Written(reported, html, written, report.sections().size(), missing);
  }
}
