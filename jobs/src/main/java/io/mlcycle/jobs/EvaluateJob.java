package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.evaluation.CandidateEvaluation;
import io.mlcycle.evaluation.EvaluationMetrics;
import io.mlcycle.evaluation.DecisionThreshold;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.evaluation.GateCheck;
import io.mlcycle.evaluation.GateLog;
import io.mlcycle.evaluation.PairedBootstrap;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.Errors;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.base.Steps;
import io.mlcycle.base.TextTable;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.DataSplit;
import io.mlcycle.training.TrainingSpec;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A training run's model on its own holdout rows, against the champion on the same rows: metrics, slices,
 * the paired bootstrap, the gates and the decision, recorded; then the model is registered and, when it
 * passes, becomes challenger (or champion, when there is none yet).
 */
@Command(name = "evaluate", description = "Evaluate a training run's model on its holdout against the champion; "
    + "apply the gates, register the model, and make a passing model challenger (or the first champion).")
final class EvaluateJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--run", paramLabel = "RUN_ID", description = "The training run to evaluate (default: the model's latest).")
  String candidateRun;

  @Override
  public void run(JobContext context) {
    TrainingSpec spec = context.pipeline().training();
    EvaluationSpec evaluation = context.pipeline().evaluation();
    SparkSession spark = context.spark();
    String dataset = context.pipeline().name();
    TrackingTables tracking = new TrackingTables(spark, context.storage());
    ModelRegistry registry = new ModelRegistry(spark, context.storage());
    String run = candidateRun != null ? candidateRun : latestRun(tracking, spec.name());
    Map<String, Map<String, String>> lineage = lineage(tracking, spec.name(), run);
    String modelPath = context.storage().model(spec.name(), run);
    CandidateEvaluation.Scorer candidate = new CandidateEvaluation.Scorer(ModelArtifact.load(spark, modelPath),
        DecisionThreshold.forRun(tracking, evaluation, run));
    Optional<ModelRegistry.Version> champion = registry.holder(spec.name(), ModelRegistry.CHAMPION)
        .filter(v -> !v.runId().equals(run));
    Optional<Integer> championVersion = champion.map(ModelRegistry.Version::version);
    GateLog gateLog = new GateLog(spark, context.storage());
    context.summary().count("candidate_run", run);

    try (SparkJobCounter jobs = SparkJobCounter.start(spark)) {
      Optional<GateLog.Recorded> recorded = gateLog.recorded(spec.name(), run, championVersion);
      String evaluationRunId;
      String decision;
      List<GateCheck.Result> gates;
      Map<String, Double> metrics = new LinkedHashMap<>();
      if (recorded.isPresent()) {
        evaluationRunId = recorded.get().evaluationRunId();
        decision = recorded.get().decision();
        gates = recorded.get().gates();
        context.out().printf("Run %s was already evaluated against %s in run %s: %s.%n", run,
            championVersion.map(v -> "champion version " + v).orElse("no champion"), evaluationRunId, decision);
      } else {
        long featuresVersion = Long.parseLong(lineage.get("table").get("features/" + dataset));
        Dataset<Row> holdout = holdout(context, spec, lineage, dataset, featuresVersion, evaluation);
        Optional<CandidateEvaluation.Scorer> championScorer = champion.map(v -> new CandidateEvaluation.Scorer(
            ModelArtifact.load(spark, v.modelPath()), DecisionThreshold.forRun(tracking, evaluation, v.runId())));
        CandidateEvaluation.Result result = Steps.timed(LOG, "evaluate " + spec.name() + " run " + run,
            () -> CandidateEvaluation.evaluate(holdout, spec, evaluation, candidate, championScorer));
        evaluationRunId = context.runId();
        decision = result.go() ? "go" : evaluation.enforce() ? "no-go" : "no-go (dry-run)";
        gates = result.gates();
        metrics.putAll(result.candidate());
        if (spec.task() == TrainingSpec.Task.BINARY) {
          metrics.put("threshold", candidate.threshold());
        }
        printMetrics(context, spec, run, featuresVersion, champion, result);
        Timestamp now = Timestamp.from(context.clock().instant());
        context.summary()
            .output("_mlcycle/metrics", tracking.recordMetrics(evaluationRunId, spec.name(), records(spec, metrics,
                result)))
            .output("_mlcycle/" + GateLog.TABLE, gateLog.record(evaluationRunId, run, spec.name(), championVersion,
                gates, evaluation.enforce() ? "enforce" : "dry-run", decision, now));
      }
      printGates(context, evaluation, gates, decision);
      int version = registry.register(new ModelRegistry.Registration(spec.name(), run, modelPath, evaluationRunId,
          decision, json(lineage), json(metrics)), context.user(), context.clock().instant());
      context.out().printf("Registered %s version %d (run %s) in %s%n", spec.name(), version, run,
          registry.modelsPath());
      boolean proceeds = decision.equals("go") || !evaluation.enforce();
      if (proceeds) {
        moveAliases(context, registry, spec.name(), version, evaluationRunId, dataset);
      }
      context.summary()
          .output("_mlcycle/" + ModelRegistry.MODELS, DeltaTables.version(spark, registry.modelsPath()))
          .count("model_version", version)
          .count("decision", decision)
          .count("spark_jobs", jobs.jobs());
      metrics.forEach((name, value) -> context.summary().count(name, Math.round(value * 1e6) / 1e6));
      if (!proceeds) {
        throw new MlcycleException(ExitCode.MODEL_GATE, "Cannot pass " + spec.name() + " run " + run
            + " (registered as version " + version + "): no-go, the gates " + failed(gates)
            + " failed. No alias moved; see the gate table, or pipeline.evaluate.gates.");
      }
      context.summary().message("evaluated " + spec.name() + " run " + run + ": " + decision + "; registered as version "
          + version + "; aliases " + registry.aliases(spec.name()));
    }
  }

  /** The latest training run of the model, by run id (run ids start with their UTC start time). */
  private static String latestRun(TrackingTables tracking, String model) {
    Row latest = tracking.read(TrackingTables.PARAMS).where(col("model").equalTo(model)).agg(max("run_id")).first();
    if (latest.isNullAt(0)) {
      throw Errors.usage("Cannot evaluate " + model + ": it has no training run in "
          + tracking.path(TrackingTables.PARAMS) + ". Run 'mlcycle train' first.");
    }
    return latest.getString(0);
  }

  private static Map<String, Map<String, String>> lineage(TrackingTables tracking, String model, String run) {
    Map<String, Map<String, String>> lineage = tracking.lineage(model, run);
    if (!lineage.containsKey("table") || !lineage.containsKey("split")) {
      throw Errors.usage("Cannot evaluate " + model + " run " + run + ": the run has no lineage in "
          + tracking.path(TrackingTables.LINEAGE) + ". Pass a training run of this model (see 'mlcycle runs').");
    }
    return lineage;
  }

  /** The run's holdout rows with a known label, from the feature-table version and split the run recorded. */
  private static Dataset<Row> holdout(JobContext context, TrainingSpec spec, Map<String, Map<String, String>> lineage,
                                      String dataset, long featuresVersion, EvaluationSpec evaluation) {
    Map<String, String> split = lineage.get("split");
    TrainingSpec recorded = spec.withSplit(split.get("method"), Double.parseDouble(split.get("test_fraction")),
        Integer.parseInt(split.get("folds")), Long.parseLong(split.get("seed")));
    String table = context.storage().features(dataset);
    Dataset<Row> features = context.spark().read().format("delta").option("versionAsOf", featuresVersion).load(table);
    List<String> columns = List.of(features.columns());
    for (String slice : evaluation.slices()) {
      if (!columns.contains(slice)) {
        throw Errors.badConfigValue("pipeline.evaluate.slices", "pipeline.evaluate", "the feature table " + table
            + " has no column '" + slice + "'; slice by one of " + columns);
      }
    }
    context.summary().input("features/" + dataset, featuresVersion);
    return DataSplit.assign(features, recorded)
        .where(col(DataSplit.TEST).and(col(spec.label()).isNotNull()));
  }

  private static List<TrackingTables.Metric> records(TrainingSpec spec, Map<String, Double> candidate,
                                                     CandidateEvaluation.Result result) {
    List<TrackingTables.Metric> records = new ArrayList<>();
    candidate.forEach((name, value) -> records.add(new TrackingTables.Metric("evaluation", -1, -1, name, value)));
    result.champion().ifPresent(c -> c.forEach((name, value) ->
        records.add(new TrackingTables.Metric("champion", -1, -1, name, value))));
    result.differences().forEach((name, d) -> {
      records.add(new TrackingTables.Metric("difference", -1, -1, name, d.value()));
      records.add(new TrackingTables.Metric("difference", -1, -1, name + ".ci_low", d.low()));
      records.add(new TrackingTables.Metric("difference", -1, -1, name + ".ci_high", d.high()));
    });
    result.slices().forEach((scope, metrics) -> metrics.forEach((name, value) ->
        records.add(new TrackingTables.Metric(scope, -1, -1, name, value))));
    for (int i = 0; i < result.reliability().size(); i++) {
      double[] bin = result.reliability().get(i);
      records.add(new TrackingTables.Metric("reliability", i, -1, "mean_predicted", bin[0]));
      records.add(new TrackingTables.Metric("reliability", i, -1, "observed", bin[1]));
      records.add(new TrackingTables.Metric("reliability", i, -1, "rows", bin[2]));
    }
    for (int i = 0; i < result.curves().roc().size(); i++) {
      records.add(new TrackingTables.Metric("roc", i, -1, "fpr", result.curves().roc().get(i)[0]));
      records.add(new TrackingTables.Metric("roc", i, -1, "tpr", result.curves().roc().get(i)[1]));
    }
    for (int i = 0; i < result.curves().pr().size(); i++) {
      records.add(new TrackingTables.Metric("pr", i, -1, "recall", result.curves().pr().get(i)[0]));
      records.add(new TrackingTables.Metric("pr", i, -1, "precision", result.curves().pr().get(i)[1]));
    }
    result.confusion().forEach((label, row) -> row.forEach((predicted, rows) ->
        records.add(new TrackingTables.Metric("confusion", -1, -1, confusionName(spec, label, predicted), rows))));
    return records;
  }

  private static String confusionName(TrainingSpec spec, int label, int predicted) {
    if (spec.task() == TrainingSpec.Task.BINARY) {
      return (label == predicted ? "t" : "f") + (predicted == 1 ? "p" : "n");
    }
    return "label_" + label + "_predicted_" + predicted;
  }

  /**
   * A passing model becomes challenger; with no champion yet it becomes champion, after the smoke test.
   * A model that already holds an alias keeps it.
   */
  private static void moveAliases(JobContext context, ModelRegistry registry, String name, int version,
                                  String evaluationRunId, String dataset) {
    Map<String, Integer> holders = registry.aliases(name);
    if (holders.containsValue(version)) {
      context.out().printf("Version %d already holds an alias: %s%n", version, holders);
      return;
    }
    if (!holders.containsKey(ModelRegistry.CHAMPION)) {
      PromoteJob.promote(context, version,
          "first champion: passed the gates (evaluation " + evaluationRunId + ")");
      return;
    }
    registry.move(name, List.of(new ModelRegistry.AliasChange(ModelRegistry.CHALLENGER, version)),
        "passed the gates against champion version " + holders.get(ModelRegistry.CHAMPION) + " (evaluation "
            + evaluationRunId + ")", context.user(), context.runId(), context.clock().instant());
    context.out().printf("Challenger -> version %d (champion stays version %d; 'mlcycle promote --version %d' to"
        + " promote it)%n", version, holders.get(ModelRegistry.CHAMPION), version);
    context.summary().output("_mlcycle/" + ModelRegistry.ALIASES, DeltaTables.version(context.spark(),
        registry.aliasesPath()));
  }

  private static void printMetrics(JobContext context, TrainingSpec spec, String run, long featuresVersion,
                                   Optional<ModelRegistry.Version> champion, CandidateEvaluation.Result result) {
    context.out().printf("Evaluation of %s run %s on %d holdout rows (features version %d), against %s:%n",
        spec.name(), run, result.candidate().get("rows").longValue(), featuresVersion,
        champion.map(v -> "champion version " + v.version() + " (run " + v.runId() + ")").orElse("no champion"));
    TextTable table = new TextTable("metric", "candidate", "champion", "difference [95% CI]");
    result.candidate().forEach((name, value) -> {
      if (name.equals("rows")) {
        return;
      }
      PairedBootstrap.Difference d = result.differences().get(name);
      table.row(name, format(value), result.champion().map(c -> format(c.get(name))).orElse("-"),
          d == null ? "-" : String.format("%+.4f [%+.4f, %+.4f]", d.value(), d.low(), d.high()));
    });
    table.print(context.out());
    if (!result.slices().isEmpty()) {
      String metric = EvaluationMetrics.names(spec.task()).contains(spec.metric()) ? spec.metric() : "accuracy";
      context.out().printf("Weakest slices by %s (of %d):%n", metric, result.slices().size());
      TextTable slices = new TextTable("slice", metric, "rows");
      result.slices().entrySet().stream()
          .filter(e -> !Double.isNaN(e.getValue().getOrDefault(metric, Double.NaN)))
          .sorted(Comparator.comparingDouble(e -> EvaluationMetrics.largerIsBetter(metric)
              ? e.getValue().get(metric) : -e.getValue().get(metric)))
          .limit(5)
          .forEach(e -> slices.row(e.getKey().substring("slice:".length()), format(e.getValue().get(metric)),
              e.getValue().get("rows").longValue()));
      slices.print(context.out());
    }
  }

  /** Every gate on the whole holdout; slice gates as one line per metric (the weakest slice) plus each failure. */
  private static void printGates(JobContext context, EvaluationSpec evaluation, List<GateCheck.Result> gates,
                                 String decision) {
    context.out().printf("Gates (%s):%n", evaluation.enforce() ? "enforce" : "dry-run");
    TextTable table = new TextTable("gate", "metric", "slice", "value", "threshold", "passed");
    gates.stream().filter(g -> g.slice() == null).forEach(g -> table.row(g.gate(), g.metric(), "", format(g.value()),
        format(g.threshold()), g.passed() ? "yes" : "NO"));
    Map<String, List<GateCheck.Result>> bySlice = new LinkedHashMap<>();
    gates.stream().filter(g -> g.slice() != null)
        .forEach(g -> bySlice.computeIfAbsent(g.gate() + " " + g.metric(), k -> new ArrayList<>()).add(g));
    bySlice.values().forEach(slices -> {
      GateCheck.Result weakest = slices.stream().min(Comparator.comparingDouble(g -> Double.isNaN(g.value())
          ? Double.NEGATIVE_INFINITY : g.value())).orElseThrow();
      long passed = slices.stream().filter(GateCheck.Result::passed).count();
      table.row(weakest.gate(), weakest.metric(), "weakest of " + slices.size() + ": " + weakest.slice(),
          format(weakest.value()), format(weakest.threshold()), passed == slices.size() ? "yes"
              : "NO (" + (slices.size() - passed) + " slices)");
      slices.stream().filter(g -> !g.passed() && g != weakest).forEach(g -> table.row(g.gate(), g.metric(),
          g.slice(), format(g.value()), format(g.threshold()), "NO"));
    });
    table.print(context.out());
    context.out().println("Decision: " + decision);
  }

  private static String failed(List<GateCheck.Result> gates) {
    List<String> failed = new ArrayList<>();
    gates.stream().filter(g -> !g.passed()).forEach(g -> failed.add(g.gate() + " " + g.metric()
        + (g.slice() == null ? "" : " [" + g.slice() + "]") + " (" + format(g.value()) + " vs " + format(g.threshold())
        + ")"));
    return String.join(", ", failed);
  }

  private static String format(Double value) {
    return value == null || value.isNaN() ? "n/a" : String.format("%.4f", value);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value + " as JSON", e);
    }
  }
}
