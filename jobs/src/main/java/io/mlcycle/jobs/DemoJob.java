package io.mlcycle.jobs;

import io.mlcycle.features.FeatureSpec;
import io.mlcycle.features.FeatureTableStats;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.ingest.DatasetSpec;
import io.mlcycle.ingest.IngestResult;
import io.mlcycle.job.JobContext;
import io.mlcycle.quality.ValidateResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * The whole lifecycle on the bundled real data, in local mode, with local storage. It runs every stage
 * that exists and says plainly which stages are not built yet.
 */
@Command(name = "demo", description = "Run the whole lifecycle on the bundled sample data (local mode, local storage).")
final class DemoJob extends JobCommand {
  static final List<String> NOT_YET_BUILT = List.of(
      "evaluate", "promote", "score", "monitor", "retrain");
  /** The bundled monthly batches, relative to the mlcycle home folder. */
  static final String SAMPLE_BATCHES = "data/flights/raw";

  @Override
  public void run(JobContext context) throws Exception {
    context.out().println("== mlcycle demo: checking Spark, the executors and storage");
    new DoctorJob().run(context);
    DatasetSpec spec = DatasetSpec.from(context.settings());

    context.out().println();
    context.out().println("== ingest: " + SAMPLE_BATCHES + " -> bronze/" + spec.name() + ", one batch per monthly file");
    List<IngestResult> ingested = IngestJob.ingest(context, spec, SAMPLE_BATCHES, null, true);
    context.out().println("== validate: bronze/" + spec.name() + " -> silver/" + spec.name()
        + " through the rules of pipeline.quality.rules");
    List<ValidateResult> validated = ValidateJob.validate(context, null);
    printBatches(context.out(), ingested, validated);

    context.out().println();
    context.out().println("== features: silver/" + spec.name() + " -> features/" + spec.name()
        + " (point-in-time windows, lookups, frozen categories and reference profile)");
    FeatureTableUpdate.Outcome features = new FeatureTableUpdate(context.spark(), context.storage(),
        FeatureSpec.from(context.settings().config()), context.runId(), context.clock()).run();
    context.out().printf("feature version %d (hash %s), %d rows from silver version %d, table version %d%n",
        features.version().version(), features.version().hash().substring(0, 12), features.rows(),
        features.silverVersion(), features.featuresVersion());
    FeatureTableStats.of(context.spark(), context.storage().features(spec.name())).print(context.out());

    context.out().println();
    context.out().println("== train: cross-validated grid search on features/" + spec.name() + " (pipeline.model)");
    new TrainJob().run(context);

    context.out().println();
    context.out().println("Tables under " + context.storage().root() + ": bronze/, silver/, quarantine/, features/, "
        + "models/, _mlcycle/{quality,profiles,feature_versions,feature_reference,runs,params,metrics,lineage}"
        + " (Delta; e.g. spark.read.format(\"delta\").load(...)); './mlcycle runs' lists the runs.");
    context.out().println("The lifecycle stages " + String.join(", ", NOT_YET_BUILT)
        + " are not built yet; the demo will run them as they land.");
    context.summary()
        .count("rows_read", ingested.stream().mapToLong(IngestResult::rowsRead).sum())
        .count("rows_silver", validated.stream().mapToLong(ValidateResult::rowsSilver).sum())
        .count("feature_rows", features.rows())
        .message("demo ran doctor, ingest, validate, features and train on " + ingested.size()
            + " batches; not built yet: " + String.join(", ", NOT_YET_BUILT));
    report(context);
  }

  /** Ends the demo with the report of what it ran, as HTML and as notebooks, and says where they are. */
  private static void report(JobContext context) {
    context.out().println();
    context.out().println("== report: the HTML report and its notebooks");
    String notebooks = context.storage().path("reports/notebooks");
    ReportJob.Written report = ReportJob.write(context, null, null, notebooks);
    context.out().println("Report (open it in a browser, no network needed): " + report.html());
    context.out().println("Notebooks (" + report.notebooks().size() + " files: Jupyter .ipynb with their outputs, "
        + "a Databricks SQL notebook): " + notebooks);
  }

  /** One line per batch: what ingest read and kept, what validate kept, quarantined and de-duplicated. */
  static void printBatches(PrintStream out, List<IngestResult> ingested, List<ValidateResult> validated) {
    Map<String, ValidateResult> byBatch = validated.stream()
        .collect(Collectors.toMap(ValidateResult::batchId, v -> v, (a, b) -> b, TreeMap::new));
    out.println();
    out.printf("%-9s %9s %9s %9s %11s %11s %10s %8s %8s %8s%n", "batch", "read", "bronze", "silver",
        "quar.parse", "quar.rules", "duplicate", "bronze@v", "silver@v", "quar.@v");
    for (IngestResult in : ingested) {
      ValidateResult v = byBatch.get(in.batchId());
      if (!in.written() && v == null) {
        out.printf("%-9s %s%n", in.batchId(), in.message());
        continue;
      }
      out.printf("%-9s %9d %9d %9s %11d %11s %10s %8d %8s %8s%n", in.batchId(), in.rowsRead(), in.rowsBronze(),
          v == null ? "-" : v.rowsSilver(), in.rowsQuarantined(), v == null ? "-" : v.rowsQuarantined(),
          v == null ? "-" : v.rowsDuplicate(), in.bronzeVersion(), v == null ? "-" : v.silverVersion(),
          v == null ? in.quarantineVersion() : v.quarantineVersion());
      if (v != null && !v.failedByRule().isEmpty()) {
        out.println("          rules not passed (rows): " + new TreeMap<>(v.failedByRule()).entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
      }
    }
  }
}
