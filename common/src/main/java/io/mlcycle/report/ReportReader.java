package io.mlcycle.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.tracking.TrainingRuns;
import io.mlcycle.base.Errors;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads what a report shows from the tables under one storage root: each table that exists, filtered to
 * the pipeline, model and run, aggregated and collected small; each that does not exist stays empty.
 */
public final class ReportReader {
  private final SparkSession spark;
  private final Storage storage;

  public ReportReader(SparkSession spark, Storage storage) {
    this.spark = spark;
    this.storage = storage;
  }

  /**
   * The training run to report on: {@code runId} when it is one of the model's runs; without one, the current
   * champion's run, else (no champion yet) the model's latest run.
   */
  public String trainingRun(String model, Optional<String> runId) {
    if (table("_mlcycle/params").isEmpty()) {
      throw Errors.usage("Cannot report on model '" + model + "': " + storage.system("params")
          + " does not exist, so it was never trained. Run 'mlcycle train' first.");
    }
    List<String> runs = new TrainingRuns(new TrackingTables(spark, storage)).latestFirst(model);
    if (runId.isPresent()) {
      if (!runs.contains(runId.get())) {
        throw Errors.usage("Cannot report on run '" + runId.get() + "': it is not a training run of model '" + model
            + "'. Pass one of " + runs.stream().limit(5).toList() + " to --run, or leave --run out"
            + " for the champion's run (else the latest).");
      }
      return runId.get();
    }
    if (runs.isEmpty()) {
      throw Errors.usage("Cannot report on model '" + model + "': it has no training run. Run 'mlcycle train' first.");
    }
    return new ModelRegistry(spark, storage).holder(model, ModelRegistry.CHAMPION).map(ModelRegistry.Version::runId)
        .filter(runs::contains).orElse(runs.get(0));
  }

  /** Reads every section's frame for the run of {@code model} on {@code pipeline}. */
  public ReportData read(String pipeline, String model, String runId, String displayRoot, Instant at) {
    Optional<String> evaluation = evaluationRun(model, runId);
    ReportSubject subject = new ReportSubject(pipeline, model, runId, evaluation, displayRoot, at);
    // The recorded configuration (kind config) is one long JSON value: the report shows its hash instead.
    Optional<Frame> lineage = frame("_mlcycle/lineage", t -> t.where(col("run_id").equalTo(runId)
            .and(col("kind").notEqual("config")))
        .select("kind", "name", "value").orderBy("kind", "name"));
    return new ReportData(subject,
        batches(pipeline),
        quarantined(pipeline),
        frame("_mlcycle/quality", t -> t.where(col("dataset").equalTo(pipeline).and(col("stage").equalTo("validate")))
            .select("batch_id", "rule", "severity", "status", "failed_rows", "total_rows").orderBy("batch_id", "rule")),
        frame("_mlcycle/profiles", t -> t.where(col("dataset").equalTo(pipeline))
            .select(col("batch_id"), col("column"), col("nulls").divide(col("rows")).as("null_share"))
            .orderBy("batch_id", "column")),
        frame("_mlcycle/feature_versions", t -> t.where(col("dataset").equalTo(pipeline))
            .select("feature_version", "feature_hash", "reason", "silver_version", "features_table_version",
                "training_rows", "created_at").orderBy("feature_version")),
        reference(pipeline, lineage),
        frame("_mlcycle/metrics", t -> t.where(col("run_id").equalTo(runId).and(col("model").equalTo(model)))
            .select("scope", "grid_point", "fold", "name", "value").orderBy("scope", "grid_point", "fold", "name")),
        frame("_mlcycle/params", t -> t.where(col("run_id").equalTo(runId).and(col("model").equalTo(model)))
            .select("name", "value").orderBy("name")),
        ModelWeights.read(spark, storage.model(model, runId), storage.features(pipeline)),
        evaluation.flatMap(e -> frame("_mlcycle/metrics", t -> t.where(col("run_id").equalTo(e))
            .select("scope", "grid_point", "fold", "name", "value").orderBy("scope", "grid_point", "name"))),
        evaluation.flatMap(e -> frame("_mlcycle/gates", t -> t.where(col("evaluation_run_id").equalTo(e))
            .orderBy("gate", "slice"))),
        frame("_mlcycle/models", t -> t.where(col("name").equalTo(model))
            .select("version", "run_id", "registered_at", "registered_by", "decision", "evaluation_run_id")
            .orderBy("version")),
        frame("_mlcycle/model_aliases", t -> t.where(col("name").equalTo(model))
            .select("seq", "moved_at", "alias", "version", "previous_version", "moved_by", "reason", "run_id")
            .orderBy("seq")),
        frame("_mlcycle/drift", t -> t.where(col("model").equalTo(model))
            .select("model_version", "batch_id", "feature", "kind", "psi", "ks", "chi2", "js", "drifted")
            .orderBy("batch_id", "feature")),
        frame("_mlcycle/performance", t -> t.where(col("model").equalTo(model))
            .select("batch_id", "role", "model_version", "slice", "metric", "value", "labelled_rows")
            .orderBy(col("batch_id"), col("role"), col("slice").asc_nulls_first(), col("metric"))),
        frame("_mlcycle/decisions", t -> t.where(col("model").equalTo(model))
            .select("decided_at", "decision", "trigger", "triggered", "reason", "run_id").orderBy("decided_at")),
        lineage,
        frame("_mlcycle/runs", t -> t.where(col("pipeline").equalTo(pipeline).or(col("run_id").equalTo(runId)))
            .select("started_at", "job", "run_id", "status", "exit_code", "seconds").orderBy("started_at")),
        frame("_mlcycle/reproductions", t -> t.where(col("model").equalTo(model))
            .select(col("version"), col("run_id"), col("reproduced_at"), col("verdict"),
                org.apache.spark.sql.functions.concat_ws(", ", col("differing")).as("differing"), col("feature_rows"),
                org.apache.spark.sql.functions.concat_ws("; ", col("warnings")).as("warnings"))
            .orderBy(col("version"), col("reproduced_at"))));
  }

  /** The latest evaluation of the run: its gates, else the registry row that names one. */
  private Optional<String> evaluationRun(String model, String runId) {
    Optional<String> fromGates = table("_mlcycle/gates").flatMap(t -> first(t
        .where(col("candidate_run_id").equalTo(runId).and(col("model").equalTo(model)))
        .orderBy(col("evaluated_at").desc()).select("evaluation_run_id")));
    return fromGates.or(() -> table("_mlcycle/models").flatMap(t -> first(t
        .where(col("run_id").equalTo(runId).and(col("name").equalTo(model)).and(col("evaluation_run_id").isNotNull()))
        .orderBy(col("registered_at").desc()).select("evaluation_run_id"))));
  }

  private static Optional<String> first(Dataset<Row> oneColumn) {
    return oneColumn.limit(1).collectAsList().stream().findFirst().map(r -> r.getString(0));
  }

  private Optional<Frame> batches(String pipeline) {
    return table("_mlcycle/quality").map(quality -> {
      Dataset<Row> checked = quality.where(col("dataset").equalTo(pipeline).and(col("stage").equalTo("validate")))
          .groupBy("batch_id").agg(max("total_rows").as("rows_checked"), max("table_version").as("silver_version"),
              functions.count_if(col("status").notEqual("passed")).as("rules_not_passed"));
      Dataset<Row> out = table("quarantine/" + pipeline)
          .map(q -> checked.join(q.groupBy(col("_batch_id").as("batch_id"))
                  .agg(count(lit(1)).as("rows_quarantined")), scalaSeq("batch_id"), "left")
              .na().fill(0L, new String[] {"rows_quarantined"}))
          .orElse(checked.withColumn("rows_quarantined", lit(0L)));
      return Frame.of(out.select("batch_id", "rows_checked", "rows_quarantined", "rules_not_passed", "silver_version")
          .orderBy("batch_id"));
    });
  }

  private Optional<Frame> quarantined(String pipeline) {
    if (table("_mlcycle/quality").isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(table("quarantine/" + pipeline)
        .map(q -> Frame.of(q.select(col("_batch_id").as("batch_id"), col("_stage").as("stage"),
                explode(col("_reasons")).as("reason"))
            .groupBy("batch_id", "stage", "reason").agg(count(lit(1)).as("rows")).orderBy("batch_id", "stage", "reason")))
        .orElse(new Frame(List.of("batch_id", "stage", "reason", "rows"), List.of())));
  }

  /** The reference bins of the feature version the run trained on (its lineage), else of the latest version. */
  private Optional<Frame> reference(String pipeline, Optional<Frame> lineage) {
    Optional<Integer> version = lineage.flatMap(l -> l.where(r -> "feature_definitions".equals(r.get("kind"))
        && "version".equals(r.get("name"))).rows().stream().findFirst()).map(r -> Integer.valueOf(Frame.text(r, "value")));
    return frame("_mlcycle/feature_reference", t -> {
      Dataset<Row> rows = t.where(col("dataset").equalTo(pipeline));
      Column which = version.map(v -> col("feature_version").equalTo(v))
          .orElse(col("feature_version").equalTo(rows.agg(max("feature_version")).first().get(0)));
      return rows.where(which).select("feature_version", "feature", "kind", "bin", "lower", "upper", "category",
          "share").orderBy("feature", "bin");
    });
  }

  private Optional<Frame> frame(String relative, Function<Dataset<Row>, Dataset<Row>> shape) {
    return table(relative).map(shape).map(Frame::of);
  }

  private Optional<Dataset<Row>> table(String relative) {
    String path = storage.path(relative);
    return DeltaTables.exists(spark, path) ? Optional.of(spark.read().format("delta").load(path)) : Optional.empty();
  }

  private static scala.collection.immutable.Seq<String> scalaSeq(String... columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toList();
  }
}
