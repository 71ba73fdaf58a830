package io.mlcycle.jobs;

import io.mlcycle.features.FeatureTableStats;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.ingest.IngestResult;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.base.TextTable;
import io.mlcycle.monitoring.MonitorResult;
import io.mlcycle.monitoring.RetrainCheck;
import io.mlcycle.monitoring.RetrainDecision;
import io.mlcycle.quality.ValidateResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/**
 * The whole lifecycle on the bundled real data, in local mode, with local storage: the first three months
 * train and evaluate the first champion; each later month arrives, is validated and scored (by the
 * champion, and by the challenger's canary share once there is one), its labels arrive, it is monitored
 * and the retraining triggers decide; the demo ends with the report and its notebooks.
 */
@Command(name = "demo", description = "Run the whole lifecycle on the bundled sample data (local mode, local storage).")
final class DemoJob extends JobCommand {
  /** The bundled monthly batches, relative to the mlcycle home folder. */
  static final String SAMPLE_BATCHES = "data/flights/raw";
  /** How many of the first months train the first champion. */
  private static final int TRAINING_MONTHS = 3;

  private final List<IngestResult> ingested = new ArrayList<>();
  private final List<ValidateResult> validated = new ArrayList<>();
  private final Map<String, String> scored = new LinkedHashMap<>();
  private final List<LoopRow> loop = new ArrayList<>();

  /** One later month of the loop: what monitoring measured and what retraining decided. */
  private record LoopRow(String batch, MonitorResult monitored, RetrainDecision decision) {}

  @Override
  public void run(JobContext context) throws Exception {
    context.out().println("== mlcycle demo ('./mlcycle doctor' checks the executors and a Delta round trip on the"
        + " storage root)");
    DoctorJob.printVersions(context);
    DatasetSpec spec = context.pipeline().dataset();
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
      context.out().println("== " + batch + " arrives: ingest, validate, score (champion, and the challenger's canary"
          + " share once there is one); its labels arrive; monitor; retrain when triggered");
      arrive(context, spec, List.of(month));
      score(context, batch);
      features(context, spec, false);
      MonitorResult monitored = MonitorJob.action(context.child("monitor-" + batch)).execute(Optional.of(batch));
      MonitorOutput.print(context.out(), monitored);
      loop.add(new LoopRow(batch, monitored, retrain(context.child("retrain-" + batch))));
    }

    context.out().println();
    context.out().println("== every batch");
    printBatches(context.out(), ingested, validated);
    context.out().println();
    context.out().println("Predictions by batch (role and model version: rows):");
    scored.forEach((batch, arms) -> context.out().printf("  %-9s %s%n", batch, arms));
    printLoop(context.out());
    reproduce(context.child("reproduce"));
    context.out().println();
    context.out().println("Tables under " + context.storage().root() + ": bronze/, silver/, quarantine/, features/, "
        + "predictions/, models/, _mlcycle/{quality,profiles,feature_versions,feature_reference,runs,params,metrics,"
        + "lineage,gates,models,model_aliases,drift,performance,decisions,reproductions} (Delta; e.g. "
        + "spark.read.format(\"delta\").load(...)); './mlcycle runs' lists the runs, './mlcycle models --history'"
        + " the registry, './mlcycle lineage --model NAME:VERSION' a model's chain.");
    context.summary()
        .count("rows_read", ingested.stream().mapToLong(IngestResult::rowsRead).sum())
        .count("rows_silver", validated.stream().mapToLong(ValidateResult::rowsSilver).sum())
        .count("batches_scored", scored.size())
        .message("demo ran the lifecycle on " + ingested.size() + " batches: ingest, validate, features, train,"
            + " evaluate, promote, score, monitor, retrain, report");
    report(context);
  }

  /** Every version the demo registered, rebuilt from its lineage alone and compared with what it recorded. */
  private static void reproduce(JobContext context) {
    context.out().println();
    context.out().println("== reproduce: every registered version trained again from its lineage alone (recorded "
        + "configuration, table versions, split, folds, seeds), every recorded item compared");
    ReproduceJob.report(context, new io.mlcycle.reproduction.ReproduceAction(context.runtime(), context.settings())
        .all(context.pipeline().training().name()));
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

  /** The loop in one table: per batch rows, quarantine, realised AUC by role, drift, decision; then the reasons. */
  private void printLoop(PrintStream out) {
    Map<String, ValidateResult> byBatch = validated.stream()
        .collect(Collectors.toMap(ValidateResult::batchId, v -> v, (a, b) -> b, TreeMap::new));
    Map<String, Long> parsed = ingested.stream()
        .collect(Collectors.toMap(IngestResult::batchId, IngestResult::rowsQuarantined, Long::sum, TreeMap::new));
    out.println();
    out.println("The loop, batch by batch:");
    TextTable table = new TextTable("batch", "rows", "quarantined", "realised AUC by role", "drift share",
        "top drifted features", "decision");
    for (LoopRow row : loop) {
      ValidateResult v = byBatch.get(row.batch());
      MonitorResult m = row.monitored();
      table.row(row.batch(), v == null ? "-" : v.rowsSilver(),
          (v == null ? 0 : v.rowsQuarantined()) + parsed.getOrDefault(row.batch(), 0L),
          !m.measured() ? "-" : m.aucByRole().entrySet().stream()
              .map(e -> e.getKey() + " " + String.format("%.3f", e.getValue())).collect(Collectors.joining(", ")),
          !m.measured() || Double.isNaN(m.driftShare()) ? "-" : String.format("%.2f", m.driftShare()),
          !m.measured() ? "-" : String.join(", ", m.topDrifted()),
          row.decision() == null ? "-" : row.decision().decision() + " (" + row.decision().trigger() + ")");
    }
    table.print(out);
    loop.stream().filter(r -> r.decision() != null).forEach(r -> out.println("  " + r.batch() + " "
        + r.decision().decision() + ": " + r.decision().reason()));
  }

  private void arrive(JobContext context, DatasetSpec spec, List<String> files) {
    for (String file : files) {
      ingested.addAll(IngestJob.action(context).execute(file, Optional.empty(), false).batches());
    }
    validated.addAll(ValidateJob.action(context).execute(Optional.empty()).batches());
  }

  private static void features(JobContext context, DatasetSpec spec, boolean describe) {
    FeatureTableUpdate.Outcome features = FeaturesJob.update(context).run();
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
    TrainJob.train(context.child("train-" + through), Optional.empty());
    context.out().println();
    context.out().println("== evaluate: holdout metrics, slices, gates against the champion; register; aliases");
    try {
      EvaluateJob.evaluate(context.child("evaluate-" + through), Optional.empty());
    } catch (MlcycleException e) {
      if (e.exitCode() != ExitCode.MODEL_GATE) {
        throw e;
      }
      context.out().println("No-go (the job would exit 4): " + e.getMessage());
    }
  }

  /** The retrain decision for the batch; a no-go of the retrained model is reported, not fatal, in the demo. */
  private static RetrainDecision retrain(JobContext context) {
    RetrainCheck.Decided decided = RetrainJob.decide(context);
    if (decided.decision().triggered()) {
      try {
        RetrainJob.retrainOn(context, decided);
      } catch (MlcycleException e) {
        if (e.exitCode() != ExitCode.MODEL_GATE) {
          throw e;
        }
        context.out().println("No-go (the job would exit 4): " + e.getMessage());
      }
    }
    return decided.decision();
  }

  private void score(JobContext context, String batch) {
    scored.put(batch, ScoreJob.arms(ScoreJob.score(context.child("score-" + batch), Optional.of(batch),
        Optional.empty())));
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
