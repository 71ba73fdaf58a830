package io.mlcycle.jobs;

import io.mlcycle.features.FeatureSpec;
import io.mlcycle.features.FeatureTableStats;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.ingest.DatasetSpec;
import io.mlcycle.ingest.IngestResult;
import io.mlcycle.ingest.InputFiles;
import io.mlcycle.job.ExitCode;
import io.mlcycle.job.JobContext;
import io.mlcycle.job.MlcycleException;
import io.mlcycle.quality.ValidateResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * The whole lifecycle on the bundled real data, in local mode, with local storage: the first three months
 * train the first champion; each later month arrives, is validated and scored (by the champion, and by
 * the challenger once there is one), and the April data trains a challenger. It says plainly which stages
 * are not built yet.
 */
@Command(name = "demo", description = "Run the whole lifecycle on the bundled sample data (local mode, local storage).")
final class DemoJob extends JobCommand {
  static final List<String> NOT_YET_BUILT = List.of("monitor", "retrain");
  /** The bundled monthly batches, relative to the mlcycle home folder. */
  static final String SAMPLE_BATCHES = "data/flights/raw";
  /** How many of the first months train the first champion. */
  private static final int TRAINING_MONTHS = 3;

  private final List<IngestResult> ingested = new ArrayList<>();
  private final List<ValidateResult> validated = new ArrayList<>();
  private final Map<String, String> scored = new LinkedHashMap<>();

  @Override
  public void run(JobContext context) throws Exception {
    context.out().println("== mlcycle demo: checking Spark, the executors and storage");
    new DoctorJob().run(context);
    DatasetSpec spec = DatasetSpec.from(context.settings());
    List<String> months = InputFiles.resolve(SAMPLE_BATCHES, context.spark().sparkContext().hadoopConfiguration())
        .files().stream().sorted().toList();

    List<String> first = months.subList(0, Math.min(TRAINING_MONTHS, months.size()));
    context.out().println();
    context.out().println("== " + batchIds(first) + ": ingest -> bronze/" + spec.name() + ", validate -> silver/"
        + spec.name() + " (pipeline.quality.rules), one batch per monthly file");
    arrive(context, spec, first);
    printBatches(context.out(), ingested, validated);
    features(context, spec, true);
    trainAndEvaluate(context, first);

    for (String month : months.subList(first.size(), months.size())) {
      String batch = InputFiles.batchIdOf(month);
      context.out().println();
      context.out().println("== " + batch + " arrives: ingest, validate, score with the champion"
          + " (and the challenger's canary share, once there is one)");
      arrive(context, spec, List.of(month));
      score(context, batch);
      if (month.equals(months.get(first.size()))) {
        context.out().println("== its labels are in: features, then train and evaluate a challenger on "
            + batchIds(months.subList(0, first.size() + 1)));
        features(context, spec, false);
        trainAndEvaluate(context, months.subList(0, first.size() + 1));
      }
    }

    context.out().println();
    context.out().println("== every batch");
    printBatches(context.out(), ingested, validated);
    context.out().println();
    context.out().println("Predictions by batch (role and model version: rows):");
    scored.forEach((batch, arms) -> context.out().printf("  %-9s %s%n", batch, arms));
    context.out().println();
    context.out().println("Tables under " + context.storage().root() + ": bronze/, silver/, quarantine/, features/, "
        + "predictions/, models/, _mlcycle/{quality,profiles,feature_versions,feature_reference,runs,params,metrics,"
        + "lineage,gates,models,model_aliases} (Delta; e.g. spark.read.format(\"delta\").load(...)); "
        + "'./mlcycle runs' lists the runs, './mlcycle models --history' the registry.");
    context.out().println("The lifecycle stages " + String.join(", ", NOT_YET_BUILT)
        + " are not built yet; the demo will run them as they land.");
    context.summary()
        .count("rows_read", ingested.stream().mapToLong(IngestResult::rowsRead).sum())
        .count("rows_silver", validated.stream().mapToLong(ValidateResult::rowsSilver).sum())
        .count("batches_scored", scored.size())
        .message("demo ran ingest, validate, features, train, evaluate, promote and score on " + ingested.size()
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

  private void arrive(JobContext context, DatasetSpec spec, List<String> files) {
    for (String file : files) {
      ingested.addAll(IngestJob.ingest(context, spec, file, null, false));
    }
    validated.addAll(ValidateJob.validate(context, null));
  }

  private static void features(JobContext context, DatasetSpec spec, boolean describe) {
    FeatureTableUpdate.Outcome features = new FeatureTableUpdate(context.spark(), context.storage(),
        FeatureSpec.from(context.settings().config()), context.runId(), context.clock()).run();
    context.out().printf("features/%s: %s, feature version %d (hash %s), %d rows from silver version %d, table "
            + "version %d%n", spec.name(), features.action().replace('_', ' '), features.version().version(),
        features.version().hash().substring(0, 12), features.rows(), features.silverVersion(),
        features.featuresVersion());
    if (describe) {
      FeatureTableStats.of(context.spark(), context.storage().features(spec.name())).print(context.out());
    }
  }

  /** A training run on the months so far, then its evaluation: a no-go is reported, not fatal, in the demo. */
  private static void trainAndEvaluate(JobContext context, List<String> months) throws Exception {
    String through = InputFiles.batchIdOf(months.get(months.size() - 1));
    context.out().println();
    context.out().println("== train on " + batchIds(months) + ": cross-validated grid search (pipeline.model)");
    new TrainJob().run(context.child("train-" + through));
    context.out().println();
    context.out().println("== evaluate: holdout metrics, slices, gates against the champion; register; aliases");
    try {
      new EvaluateJob().run(context.child("evaluate-" + through));
    } catch (MlcycleException e) {
      if (e.exitCode() != ExitCode.MODEL_GATE) {
        throw e;
      }
      context.out().println("No-go (the job would exit 4): " + e.getMessage());
    }
  }

  private void score(JobContext context, String batch) {
    ScoreJob job = new ScoreJob();
    job.batch = batch;
    JobContext step = context.child("score-" + batch);
    job.run(step);
    scored.put(batch, job.arms);
  }

  private static String batchIds(List<String> files) {
    List<String> ids = files.stream().map(InputFiles::batchIdOf).toList();
    return ids.size() == 1 ? ids.get(0) : ids.get(0) + ".." + ids.get(ids.size() - 1);
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
