package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.evaluation.GateLog;
import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.base.Errors;
import io.mlcycle.monitoring.DecisionsTable;
import io.mlcycle.monitoring.DriftTable;
import io.mlcycle.monitoring.PerformanceTable;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.PredictionsTable;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.TrainingSpec;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A model version's whole chain, each link with the table version it is in: raw files → bronze → quality
 * report → silver → feature version → feature table → training run → evaluation → model version and
 * aliases → predictions → drift and realised performance → the retrain decision that made it.
 */
@Command(name = "lineage", description = "Print a model version's chain from raw files to predictions, drift and "
    + "performance, with every table version.")
final class LineageJob extends JobCommand {
  @Option(names = "--model", paramLabel = "NAME:VERSION", required = true,
      description = "The model version, e.g. flights:2 (NAME defaults to the pipeline's model).")
  String model;

  @Override
  public void run(JobContext context) {
    SparkSession spark = context.spark();
    Storage storage = context.storage();
    String dataset = context.pipeline().name();
    String name = model.contains(":") ? model.substring(0, model.indexOf(':'))
        : context.pipeline().training().name();
    int number = parseVersion(model.contains(":") ? model.substring(model.indexOf(':') + 1) : model);
    ModelRegistry registry = new ModelRegistry(spark, storage);
    ModelRegistry.Version version = registry.version(name, number).orElseThrow(() -> Errors.usage(
        "Cannot show the lineage of " + name + ":" + number + ": there is no such version. The versions are "
            + registry.versions(name).stream().map(ModelRegistry.Version::version).toList()
            + " (see 'mlcycle models')."));
    PrintStream out = context.out();
    Map<String, Map<String, String>> lineage = new TrackingTables(spark, storage).lineage(name, version.runId());
    String featuresVersion = lineage.getOrDefault("table", Map.of()).getOrDefault("features/" + dataset, "?");
    out.printf("Lineage of %s version %d (%s)%n", name, number, registry.modelsPath());

    out.println("1. raw batches → bronze → quality → silver (the batches in the feature table it trained on)");
    batches(spark, storage, dataset, featuresVersion, out);
    Map<String, String> definitions = lineage.getOrDefault("feature_definitions", Map.of());
    out.printf("2. feature version %s (definition hash %s) from silver/%s version %s → features/%s version %s%n",
        definitions.getOrDefault("version", "?"), abbreviate(definitions.getOrDefault("hash", "?")), dataset,
        lineage.getOrDefault("table", Map.of()).getOrDefault("silver/" + dataset, "?"), dataset, featuresVersion);
    Map<String, String> hashes = lineage.getOrDefault("hash", Map.of());
    Map<String, String> versions = lineage.getOrDefault("version", Map.of());
    out.printf("3. training run %s: config hash %s, fold assignment %s, split %s; mlcycle %s, Spark %s, Delta %s%n",
        version.runId(), abbreviate(hashes.getOrDefault("config", "?")), hashes.getOrDefault("fold_assignment", "?"),
        lineage.getOrDefault("split", Map.of()), versions.get("mlcycle"), versions.get("spark"), versions.get("delta"));
    out.printf("4. evaluation %s: %s%s%n", version.evaluationRunId(), version.decision(), gates(spark, storage, name,
        version.runId()));
    out.printf("5. model version %d at %s, registered %s by %s; aliases now %s%n", number, version.modelPath(),
        version.registeredAt(), version.registeredBy(), registry.aliases(name).entrySet().stream()
            .filter(e -> e.getValue() == number).map(Map.Entry::getKey).toList());
    registry.history(name).stream().filter(m -> Integer.valueOf(number).equals(m.version())
            || Integer.valueOf(number).equals(m.previousVersion()))
        .forEach(m -> out.printf("     alias move #%d %s: %s %s → %s (%s)%n", m.seq(), m.movedAt(), m.alias(),
            m.previousVersion(), m.version(), m.reason()));
    out.println("6. predictions, drift and realised performance, per batch");
    monitored(spark, storage, dataset, name, number, out);
    decisions(spark, storage, name, number, out);
    context.summary().count("model_version", number).message("lineage of " + name + ":" + number);
  }

  private static int parseVersion(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw Errors.usage("Cannot read --model " + text + ": the version is not a number. Write NAME:VERSION, e.g."
          + " flights:2.");
    }
  }

  /** Per batch of the training feature table: raw files, bronze and silver versions, rows failing rules. */
  private static void batches(SparkSession spark, Storage storage, String dataset, String featuresVersion,
                              PrintStream out) {
    String features = storage.features(dataset);
    if (featuresVersion.equals("?") || !DeltaTables.exists(spark, features)) {
      out.println("     (the feature table version is not recorded)");
      return;
    }
    List<String> batches = spark.read().format("delta").option("versionAsOf", Long.parseLong(featuresVersion))
        .load(features).select(FeaturePipeline.BATCH_ID).distinct().orderBy(FeaturePipeline.BATCH_ID)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    Map<String, String> files = new LinkedHashMap<>();
    spark.read().format("delta").load(storage.bronze(dataset))
        .where(col(FeaturePipeline.BATCH_ID).isin(batches.toArray()))
        .groupBy(FeaturePipeline.BATCH_ID).agg(collect_set("_source_file")).collectAsList()
        .forEach(r -> files.put(r.getString(0), String.join(", ", r.<String>getList(1))));
    Map<String, Row> quality = new LinkedHashMap<>();
    String qualityPath = storage.system("quality");
    if (DeltaTables.exists(spark, qualityPath)) {
      spark.read().format("delta").load(qualityPath)
          .where(col("dataset").equalTo(dataset).and(col("batch_id").isin(batches.toArray())))
          .groupBy("batch_id")
          .agg(max(when(col("stage").equalTo("ingest"), col("table_version"))),
              max(when(col("stage").equalTo("validate"), col("table_version"))),
              sum(when(col("stage").equalTo("validate").and(col("status").notEqual("passed")), col("failed_rows"))
                  .otherwise(lit(0))), count(lit(1)))
          .collectAsList().forEach(r -> quality.put(r.getString(0), r));
    }
    for (String batch : batches) {
      Row q = quality.get(batch);
      out.printf("     %s: %s → bronze v%s → quality (%s outcomes, %s rows failing rules) → silver v%s%n", batch,
          files.getOrDefault(batch, "?"), q == null ? "?" : q.get(1), q == null ? "?" : q.get(4),
          q == null ? "?" : q.get(3), q == null ? "?" : q.get(2));
    }
  }

  private static String gates(SparkSession spark, Storage storage, String name, String runId) {
    String path = storage.system(GateLog.TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return "";
    }
    List<Row> decisions = spark.read().format("delta").load(path)
        .where(col("model").equalTo(name).and(col("candidate_run_id").equalTo(runId))
            .and(col("gate").equalTo("decision")))
        .select("champion_version", "value", "threshold", "decision").collectAsList();
    return decisions.isEmpty() ? "" : " (" + String.join("; ", decisions.stream().map(r -> "against "
        + (r.isNullAt(0) ? "no champion" : "champion v" + r.get(0)) + ": " + Math.round(r.getDouble(1)) + " of "
        + Math.round(r.getDouble(2)) + " gates passed, " + r.getString(3)).toList()) + "; _mlcycle/gates)";
  }

  private static void monitored(SparkSession spark, Storage storage, String dataset, String name, int number,
                                PrintStream out) {
    String predictions = new PredictionsTable(spark, storage, dataset).path();
    if (!DeltaTables.exists(spark, predictions)) {
      out.println("     (no predictions yet)");
      return;
    }
    Dataset<Row> scored = spark.read().format("delta").load(predictions).where(col("model_version").equalTo(number));
    Map<String, String> drift = new LinkedHashMap<>();
    DriftTable.history(spark, storage, name, number).forEach(b -> drift.put(b.batchId(),
        String.format("%d of %d features drifted", b.drifted(), b.features())));
    Map<String, String> auc = new LinkedHashMap<>();
    String performance = storage.system(PerformanceTable.TABLE);
    if (DeltaTables.exists(spark, performance)) {
      spark.read().format("delta").load(performance).where(col("model").equalTo(name)
              .and(col("model_version").equalTo(number)).and(col("slice").isNull())
              .and(col("metric").equalTo("areaUnderROC")))
          .select("batch_id", "role", "value", "labelled_rows").collectAsList()
          .forEach(r -> auc.merge(r.getString(0), String.format("realised AUC %.3f as %s on %d labels", r.getDouble(2),
              r.getString(1), r.getLong(3)), (a, b) -> a + ", " + b));
    }
    List<Row> batches = scored.groupBy(FeaturePipeline.BATCH_ID, "role").count().orderBy(FeaturePipeline.BATCH_ID)
        .collectAsList();
    if (batches.isEmpty()) {
      out.println("     (version " + number + " scored no batch yet)");
    }
    long tableVersion = DeltaTables.version(spark, predictions);
    for (Row b : batches) {
      String batch = b.getString(0);
      out.printf("     %s: %d predictions as %s (predictions/%s, now at v%d); drift: %s; %s%n", batch, b.getLong(2),
          b.getString(1), dataset, tableVersion, drift.getOrDefault(batch, "not measured"),
          auc.getOrDefault(batch, "no labels measured"));
    }
  }

  private static void decisions(SparkSession spark, Storage storage, String name, int number, PrintStream out) {
    String path = storage.system(DecisionsTable.TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return;
    }
    spark.read().format("delta").load(path).where(col("model").equalTo(name)
            .and(col("new_model_version").equalTo(number)))
        .select("decided_at", "decision", "trigger", "reason").collectAsList()
        .forEach(r -> out.printf("7. made by the retrain decision of %s (%s, trigger %s): %s%n", r.get(0), r.get(1),
            r.get(2), r.get(3)));
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
