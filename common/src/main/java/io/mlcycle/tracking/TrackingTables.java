package io.mlcycle.tracking;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Experiment tracking in Delta, MLflow's tables without a server: {@code _mlcycle/runs} (one row per job
 * execution), {@code _mlcycle/params}, {@code _mlcycle/metrics} (per fold, CV mean and std, holdout) and
 * {@code _mlcycle/lineage} (each input table's version, hashes, seeds). Writes for one run are exactly once
 * per run id, and concurrent runs both land: appends do not conflict, and the one race — two runs
 * creating a table at once — is retried.
 */
public final class TrackingTables {
  public static final String RUNS = "runs";
  public static final String PARAMS = "params";
  public static final String METRICS = "metrics";
  public static final String LINEAGE = "lineage";

  static final StructType RUNS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType).add("job", DataTypes.StringType).add("pipeline", DataTypes.StringType)
      .add("status", DataTypes.StringType).add("exit_code", DataTypes.IntegerType)
      .add("started_at", DataTypes.TimestampType).add("ended_at", DataTypes.TimestampType)
      .add("seconds", DataTypes.DoubleType).add("user", DataTypes.StringType)
      .add("mlcycle_version", DataTypes.StringType).add("spark_version", DataTypes.StringType)
      .add("delta_version", DataTypes.StringType).add("config_hash", DataTypes.StringType)
      .add("summary", DataTypes.StringType);
  static final StructType PARAMS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType).add("model", DataTypes.StringType)
      .add("name", DataTypes.StringType).add("value", DataTypes.StringType);
  static final StructType METRICS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType).add("model", DataTypes.StringType).add("scope", DataTypes.StringType)
      .add("grid_point", DataTypes.IntegerType).add("fold", DataTypes.IntegerType)
      .add("name", DataTypes.StringType).add("value", DataTypes.DoubleType);
  static final StructType LINEAGE_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType).add("model", DataTypes.StringType).add("kind", DataTypes.StringType)
      .add("name", DataTypes.StringType).add("value", DataTypes.StringType);

  private final SparkSession spark;
  private final Storage storage;

  public TrackingTables(SparkSession spark, Storage storage) {
    this.spark = spark;
    this.storage = storage;
  }

  /** One job execution, as the runner saw it. {@code summary} is the run's JSON summary line. */
  public record RunRecord(String runId, String job, String pipeline, String status, int exitCode, Timestamp startedAt,
                          Timestamp endedAt, double seconds, String user, String mlcycleVersion, String sparkVersion,
                          String deltaVersion, String configHash, String summary) {}

  /** A metric of a training run: scope is fold, cv_mean, cv_std or holdout; -1 where grid point or fold do not apply. */
  public record Metric(String scope, int gridPoint, int fold, String name, double value) {}

  /** Appends one execution; runs are a log of attempts, so a retry adds its own row. */
  public long recordRun(RunRecord run) {
    Row row = RowFactory.create(run.runId(), run.job(), run.pipeline(), run.status(), run.exitCode(), run.startedAt(),
        run.endedAt(), run.seconds(), run.user(), run.mlcycleVersion(), run.sparkVersion(), run.deltaVersion(),
        run.configHash(), run.summary());
    return append(RUNS, List.of(row), RUNS_SCHEMA,
        "run:" + run.job() + ":" + run.runId() + ":" + run.startedAt().getTime());
  }

  public long recordParams(String runId, String model, Map<String, String> params) {
    List<Row> rows = new ArrayList<>();
    params.forEach((name, value) -> rows.add(RowFactory.create(runId, model, name, value)));
    return append(PARAMS, rows, PARAMS_SCHEMA, "params:" + runId);
  }

  public long recordMetrics(String runId, String model, List<Metric> metrics) {
    List<Row> rows = new ArrayList<>();
    for (Metric m : metrics) {
      rows.add(RowFactory.create(runId, model, m.scope(), m.gridPoint(), m.fold(), m.name(), m.value()));
    }
    return append(METRICS, rows, METRICS_SCHEMA, "metrics:" + runId);
  }

  /** Lineage entries as kind → (name → value), e.g. table → {features/flights → 3}. */
  public long recordLineage(String runId, String model, Map<String, Map<String, String>> lineage) {
    List<Row> rows = new ArrayList<>();
    lineage.forEach((kind, entries) -> entries.forEach((name, value) ->
        rows.add(RowFactory.create(runId, model, kind, name, value))));
    return append(LINEAGE, rows, LINEAGE_SCHEMA, "lineage:" + runId);
  }

  /**
   * A training run's lineage as kind → (name → value), e.g. table → {features/flights → 3}; empty when the
   * model has no such run.
   */
  public Map<String, Map<String, String>> lineage(String model, String runId) {
    Map<String, Map<String, String>> lineage = new LinkedHashMap<>();
    read(LINEAGE).where(col("run_id").equalTo(runId).and(col("model").equalTo(model))).select("kind", "name", "value").collectAsList()
        .forEach(r -> lineage.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>()).put(r.getString(1),
            r.getString(2)));
    return lineage;
  }

  /**
   * The scope of a regression run's residual deciles on its held-out rows, named {@code p10} … {@code p90}:
   * the bins monitoring's residual drift is measured over.
   */
  public static final String RESIDUAL_QUANTILE = "residual_quantile";

  /**
   * The residual deciles of each run among {@code runIds} that recorded them, in order p10 … p90; runs
   * without them (classifiers, older runs) are absent.
   */
  public Map<String, double[]> residualDeciles(String model, java.util.Collection<String> runIds) {
    Map<String, java.util.TreeMap<Integer, Double>> byRun = new LinkedHashMap<>();
    read(METRICS).where(col("model").equalTo(model).and(col("scope").equalTo(RESIDUAL_QUANTILE))
            .and(col("run_id").isin(runIds.toArray())))
        .select("run_id", "name", "value").collectAsList()
        .forEach(r -> byRun.computeIfAbsent(r.getString(0), k -> new java.util.TreeMap<>())
            .put(Integer.parseInt(r.getString(1).substring(1)), r.getDouble(2)));
    Map<String, double[]> deciles = new LinkedHashMap<>();
    byRun.forEach((run, values) -> deciles.put(run, values.values().stream().mapToDouble(Double::doubleValue).toArray()));
    return deciles;
  }

  /** A training run's metrics on its held-out rows by name (scope {@code holdout}); empty for an unknown run. */
  public Map<String, Double> holdoutMetrics(String model, String runId) {
    return metrics(model, runId, "holdout");
  }

  /** A run's metrics of one scope by name (grid point and fold not applying); empty for an unknown run. */
  public Map<String, Double> metrics(String model, String runId, String scope) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    read(METRICS).where(col("run_id").equalTo(runId).and(col("model").equalTo(model))
            .and(col("scope").equalTo(scope)))
        .select("name", "value").collectAsList().forEach(r -> metrics.put(r.getString(0), r.getDouble(1)));
    return metrics;
  }

  /** A training run's params by name; empty when the model has no such run. */
  public Map<String, String> params(String model, String runId) {
    Map<String, String> params = new LinkedHashMap<>();
    read(PARAMS).where(col("run_id").equalTo(runId).and(col("model").equalTo(model))).select("name", "value")
        .collectAsList().forEach(r -> params.put(r.getString(0), r.getString(1)));
    return params;
  }

  /** The decision threshold a training run chose on its validation folds, if it chose one. */
  public Optional<Double> chosenThreshold(String runId) {
    return read(METRICS).where(col("run_id").equalTo(runId).and(col("scope").equalTo("validation"))
            .and(col("name").equalTo("threshold")))
        .select("value").collectAsList().stream().findFirst().map(r -> r.getDouble(0));
  }

  public String path(String table) {
    return storage.system(table);
  }

  /** Rows of a tracking table, or an empty frame of its schema when the table does not exist yet. */
  public Dataset<Row> read(String table) {
    String path = path(table);
    if (!DeltaTables.exists(spark, path)) {
      return spark.createDataFrame(List.of(), schema(table));
    }
    return spark.read().format("delta").load(path);
  }

  private static StructType schema(String table) {
    return switch (table) {
      case RUNS -> RUNS_SCHEMA;
      case PARAMS -> PARAMS_SCHEMA;
      case METRICS -> METRICS_SCHEMA;
      case LINEAGE -> LINEAGE_SCHEMA;
      default -> throw new IllegalArgumentException("no tracking table " + table);
    };
  }

  /** Whether training run {@code runId}'s params, metrics and lineage are all recorded. */
  public boolean recordedTraining(String runId) {
    return DeltaTables.committed(spark, path(PARAMS), "params:" + runId)
        && DeltaTables.committed(spark, path(METRICS), "metrics:" + runId)
        && DeltaTables.committed(spark, path(LINEAGE), "lineage:" + runId);
  }

  /** Concurrent runs creating a table at once retry inside {@link DeltaTables#appendOnce}, as every writer does. */
  private long append(String table, List<Row> rows, StructType schema, String appId) {
    return DeltaTables.appendOnce(spark.createDataFrame(rows, schema), path(table), appId);
  }
}
