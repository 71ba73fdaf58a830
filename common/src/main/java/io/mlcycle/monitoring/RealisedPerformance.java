package io.mlcycle.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.base.Errors;
import io.mlcycle.dataset.KeyIssues;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.ClassCounts;
import io.mlcycle.metrics.ErrorSums;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.RankingAreas;
import io.mlcycle.metrics.Task;
import io.mlcycle.scoring.BatchScorer;
import io.mlcycle.training.ClassIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * How the models did once the real outcomes arrived: "predictions ⟗ labels on the entity key → one
 * aggregation → per model version and role: coverage, label delay and the task's metrics; the worst
 * slices; and the labels no prediction matched". The task's metrics are those its kernel computes, the
 * kernels training and evaluation use:
 * <ul>
 *   <li>binary: ROC AUC ({@link RankingAreas}, on the score bins), log loss, Brier score, accuracy (the stored
 *       {@code prediction}, made at the model's threshold) and the positive rate;</li>
 *   <li>multiclass: accuracy, macro and weighted F1 and log loss ({@link ClassCounts}, from the rows counted
 *       per label and predicted class), with the labels whose class the model never saw counted
 *       ({@code unseen_labels}): they are misses, and have no log loss;</li>
 *   <li>regression: RMSE, MAE, R² and the mean residual ({@link ErrorSums}), and residual drift: the PSI of
 *       the residuals over the deciles of the version's held-out residuals at training (a tenth each there),
 *       for versions whose training recorded them.</li>
 * </ul>
 *
 * <p>Inputs. {@code predictions} are rows of {@code predictions/<dataset>} (entity key, {@code prediction},
 * {@code probability}, {@code predicted_class}, {@code class_probabilities}, {@code model_version},
 * {@code role}, {@code scored_at}), one per entity, version and role, already narrowed to the model and the
 * batches in scope. {@code labels} are the labelled rows in scope (entity key, the label as the feature
 * table stores it, {@value #ARRIVED_AT}: when the outcome reached mlcycle, e.g. the ingest time of the
 * batch that brought it; plus any slice columns). The caller picks the scope: all predictions and labels so
 * far make coverage cumulative.
 *
 * <p>One Spark aggregation (one full outer join, grouped once) computes it all: rows are counted per
 * version, role and grouping — the whole group, each score bin (binary), each label and predicted class
 * (multiclass), and each slice value. Slices are ranked by log loss (regression: RMSE), worst first.
 */
public final class RealisedPerformance {
  /** When an outcome arrived; label delay is measured from the prediction's {@code scored_at} to it. */
  public static final String ARRIVED_AT = "arrived_at";
  private static final String ALL = "all";
  private static final String SCORE = "score";
  private static final String CLASSES = "classes";
  private static final String RESIDUALS = "residuals";
  private static final String SEPARATOR = "\u0001";
  private static final String PREDICTION_MATCH = "_prediction_key";
  private static final String LABEL_MATCH = "_label_key";

  private final Task task;
  private final List<String> entityKey;
  private final String label;
  private final List<String> slices;
  private final int worstSlices;
  private final long minSliceRows;
  private final Map<Integer, double[]> residualDeciles;

  /**
   * @param label the label column of {@code labels}: 0/1 (binary), a class (multiclass), a number (regression)
   * @param slices columns of {@code labels} realised error is sliced by
   */
  public RealisedPerformance(Task task, List<String> entityKey, String label, List<String> slices, int worstSlices,
                             long minSliceRows) {
    this(task, entityKey, label, slices, worstSlices, minSliceRows, Map.of());
  }

  /**
   * @param residualDeciles regression: per model version, the nine deciles of its held-out residuals
   *     (prediction − label) at training; a version without them has no residual drift
   */
  public RealisedPerformance(Task task, List<String> entityKey, String label, List<String> slices, int worstSlices,
                             long minSliceRows, Map<Integer, double[]> residualDeciles) {
    this.residualDeciles = Map.copyOf(residualDeciles);
    this.task = task;
    this.entityKey = List.copyOf(entityKey);
    this.label = label;
    this.slices = List.copyOf(slices);
    this.worstSlices = worstSlices;
    this.minSliceRows = minSliceRows;
  }

  /** The realised metrics of a task, besides the counts and delays every task has. */
  public static Set<Metric> measured(Task task) {
    return switch (task) {
      case BINARY -> Set.of(Metric.AREA_UNDER_ROC, Metric.LOG_LOSS, Metric.BRIER, Metric.ACCURACY,
          Metric.POSITIVE_RATE);
      case MULTICLASS -> Set.of(Metric.ACCURACY, Metric.MACRO_F1, Metric.WEIGHTED_F1, Metric.LOG_LOSS,
          Metric.UNSEEN_LABELS);
      case REGRESSION -> Set.of(Metric.RMSE, Metric.MAE, Metric.R2, Metric.MEAN_RESIDUAL, Metric.RESIDUAL_PSI);
    };
  }

  /**
   * The task's realised metrics in the vocabulary's order, {@code first} (say the model's selection metric)
   * leading when it is one of them: the order the report and the lineage show them in.
   */
  public static List<Metric> measured(Task task, Metric first) {
    List<Metric> ordered = new ArrayList<>();
    List<Metric> measured = measured(task).stream().sorted().toList();
    if (measured.contains(first)) {
      ordered.add(first);
    }
    measured.stream().filter(m -> m != first).forEach(ordered::add);
    return ordered;
  }

  /**
   * Realised metrics of one model version in one role.
   *
   * @param measured the task's metrics by name ({@link #measured}); NaN where undefined (no labels, one class)
   */
  public record VersionPerformance(int modelVersion, String role, long predicted, long labelled,
                                   Map<String, Double> measured, double delayHoursMedian, double delayHoursMean) {
    public VersionPerformance {
      measured = Map.copyOf(measured);
    }

    /** Labelled over predicted rows. */
    public double coverage() {
      return predicted == 0 ? Double.NaN : (double) labelled / predicted;
    }

    /** One realised metric by name; NaN when it is not measured for this task or undefined. */
    public double metric(String name) {
      return metrics().getOrDefault(name, Double.NaN);
    }

    /** Every metric by its name: the counts, the task's metrics (in name order) and the label delays. */
    public Map<String, Double> metrics() {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put(Metric.PREDICTED_ROWS.id(), (double) predicted);
      metrics.put(Metric.LABELLED_ROWS.id(), (double) labelled);
      metrics.put(Metric.COVERAGE.id(), coverage());
      new TreeMap<>(measured).forEach(metrics::put);
      metrics.put(Metric.LABEL_DELAY_HOURS_MEDIAN.id(), delayHoursMedian);
      metrics.put(Metric.LABEL_DELAY_HOURS_MEAN.id(), delayHoursMean);
      return metrics;
    }
  }

  /**
   * Realised error of one slice value: {@code metric} (log loss; regression: RMSE) and, for classifiers, the
   * share of wrong predictions (NaN for regression).
   */
  public record SliceError(int modelVersion, String role, String column, String value, long labelled, String metric,
                           double error, double errorRate) {}

  /**
   * @param unmatchedLabels labels whose entity key no prediction has: counted, not dropped
   * @param worstSlices per version, role and slice column, the slices with the highest error, worst first
   */
  public record Report(List<VersionPerformance> versions, long unmatchedLabels, List<SliceError> worstSlices) {
    public Report {
      versions = List.copyOf(versions);
      worstSlices = List.copyOf(worstSlices);
    }
  }

  private List<String> predictionColumns() {
    List<String> columns = new ArrayList<>(List.of("prediction", "model_version", "role", "scored_at"));
    columns.addAll(switch (task) {
      case BINARY -> List.of("probability");
      case MULTICLASS -> List.of(ClassIndex.PREDICTED_CLASS, BatchScorer.CLASS_PROBABILITIES);
      case REGRESSION -> List.<String>of();
    });
    return columns;
  }

  public Report measure(Dataset<Row> predictions, Dataset<Row> labels) {
    checkColumns(predictions, predictionColumns(), "predictions");
    List<String> labelColumns = new ArrayList<>(List.of(label, ARRIVED_AT));
    labelColumns.addAll(slices);
    checkColumns(labels, labelColumns, "labels");
    // Matched on the key only where it identifies one prediction per version and role and one label
    // (KeyIssues): a repeated key would join k x k times, a null one never; such rows count as unlabelled.
    Dataset<Row> left = KeyIssues.withMatch(predictions, entityKey, List.of("model_version", "role"), PREDICTION_MATCH)
        .select(withMatch(PREDICTION_MATCH, predictionColumns()));
    Dataset<Row> right = KeyIssues.withMatch(labels, entityKey, List.of(), LABEL_MATCH)
        .select(withMatch(LABEL_MATCH, labelColumns))
        .withColumn("_label", ColumnNames.column(label).cast(task == Task.MULTICLASS ? DataTypes.StringType
            : DataTypes.DoubleType));
    Dataset<Row> joined = left.join(right, left.col(PREDICTION_MATCH).equalTo(right.col(LABEL_MATCH)), "full_outer")
        .drop(PREDICTION_MATCH, LABEL_MATCH);
    List<Row> groups = aggregate(joined).collectAsList();
    return summarise(groups);
  }

  private static Column[] withMatch(String match, List<String> columns) {
    List<Column> selected = new ArrayList<>(List.of(functions.col(match)));
    columns.forEach(c -> selected.add(ColumnNames.column(c)));
    return selected.toArray(Column[]::new);
  }

  /** Each row's contributions: its log loss, Brier term, hit, whether its class was seen, and its residual. */
  private Dataset<Row> contributions(Dataset<Row> joined, Column labelled) {
    Column y = col("_label");
    Column whenLabelled = when(labelled, lit(1.0));
    Column none = lit(null).cast(DataTypes.DoubleType);
    return switch (task) {
      case BINARY -> {
        Column p = functions.least(functions.greatest(col("probability"), lit(1e-15)), lit(1 - 1e-15));
        yield joined
            .withColumn("_logloss", whenLabelled.multiply(y.multiply(functions.log(p)).plus(
                lit(1).minus(y).multiply(functions.log(lit(1).minus(p)))).multiply(-1)))
            .withColumn("_brier", whenLabelled.multiply(functions.pow(col("probability").minus(y), 2)))
            .withColumn("_hit", whenLabelled.multiply(when(col("prediction").equalTo(y), 1.0).otherwise(0.0)))
            .withColumn("_unseen", none).withColumn("_prediction", none);
      }
      case MULTICLASS -> {
        Column probabilities = col(BatchScorer.CLASS_PROBABILITIES);
        Column seen = functions.map_contains_key(probabilities, y);
        yield joined
            .withColumn("_logloss", when(labelled.and(seen),
                ClassCounts.logLossTerm(functions.try_element_at(probabilities, y))))
            .withColumn("_brier", none)
            .withColumn("_hit", whenLabelled.multiply(when(col(ClassIndex.PREDICTED_CLASS).equalTo(y), 1.0)
                .otherwise(0.0)))
            .withColumn("_unseen", when(labelled, when(seen, 0.0).otherwise(1.0)))
            .withColumn("_prediction", none);
      }
      case REGRESSION -> joined.withColumn("_logloss", none).withColumn("_brier", none).withColumn("_hit", none)
          .withColumn("_unseen", none).withColumn("_prediction", when(labelled, col("prediction")));
    };
  }

  private List<Column> groupings() {
    List<Column> groupings = new ArrayList<>(List.of(
        functions.struct(lit(ALL).as("set"), lit(null).cast(DataTypes.StringType).as("key"))));
    if (task == Task.BINARY) {
      groupings.add(functions.struct(lit(SCORE).as("set"),
          RankingAreas.bin(col("probability")).cast(DataTypes.StringType).as("key")));
    }
    if (task == Task.MULTICLASS) {
      groupings.add(functions.struct(lit(CLASSES).as("set"),
          functions.concat_ws(SEPARATOR, col("_label"), col(ClassIndex.PREDICTED_CLASS)).as("key")));
    }
    if (task == Task.REGRESSION && !residualDeciles.isEmpty()) {
      groupings.add(functions.struct(lit(RESIDUALS).as("set"), residualBin().cast(DataTypes.StringType).as("key")));
    }
    for (String slice : slices) {
      groupings.add(functions.struct(lit("slice:" + slice).as("set"), ColumnNames.column(slice).cast(DataTypes.StringType).as("key")));
    }
    return groupings;
  }

  /**
   * The decile bin (0 to 9) of a row's residual among its version's held-out deciles: how many deciles it
   * exceeds. Null for a version without deciles or a row without a label.
   */
  private Column residualBin() {
    List<Column> entries = new ArrayList<>();
    new TreeMap<>(residualDeciles).forEach((version, deciles) -> {
      entries.add(lit(version));
      entries.add(functions.array(Arrays.stream(deciles).mapToObj(d -> lit(d)).toArray(Column[]::new)));
    });
    Column edges = functions.try_element_at(functions.map(entries.toArray(Column[]::new)), col("model_version"));
    Column residual = col("prediction").minus(col("_label"));
    return when(col("_label").isNotNull().and(edges.isNotNull()), functions.aggregate(edges, lit(0),
        (count, edge) -> count.plus(when(residual.gt(edge), lit(1)).otherwise(lit(0)))));
  }

  private Dataset<Row> aggregate(Dataset<Row> joined) {
    Column y = col("_label");
    Column labelled = y.isNotNull().and(col("model_version").isNotNull());
    Column delay = functions.unix_micros(col(ARRIVED_AT)).minus(functions.unix_micros(col("scored_at")))
        .divide(3.6e9);
    Column numericLabel = task == Task.MULTICLASS ? lit(null).cast(DataTypes.DoubleType) : y;
    List<Column> aggregates = new ArrayList<>(List.of(functions.count_if(col("_labelled")).as("labelled"),
        functions.sum(when(col("_labelled"), numericLabel)).as("positives"),
        functions.sum("_logloss").as("logloss"),
        functions.count("_logloss").as("logloss_rows"),
        functions.sum("_brier").as("brier"),
        functions.sum("_hit").as("hits"),
        functions.sum("_unseen").as("unseen"),
        functions.avg(when(col("_grouping.set").equalTo(ALL), col("_delay"))).as("delay_mean"),
        functions.percentile_approx(when(col("_grouping.set").equalTo(ALL), col("_delay")), lit(0.5),
            lit(10_000)).as("delay_median")));
    Column[] errors = ErrorSums.aggregates(col("_prediction"), when(col("_labelled"), numericLabel));
    for (int i = 0; i < errors.length; i++) {
      aggregates.add(errors[i].as("error_" + i));
    }
    return contributions(joined.withColumn("_labelled", labelled), labelled)
        .withColumn("_delay", when(labelled, delay))
        .withColumn("_grouping", functions.explode(functions.array(groupings().toArray(Column[]::new))))
        .groupBy(col("model_version"), col("role"), col("_grouping.set").as("set"), col("_grouping.key").as("key"))
        .agg(functions.count(lit(1)).as("rows"), aggregates.toArray(Column[]::new));
  }

  private Report summarise(List<Row> groups) {
    Map<String, List<Row>> details = new LinkedHashMap<>();
    List<Row> totals = new ArrayList<>();
    List<Row> sliceRows = new ArrayList<>();
    long unmatched = 0;
    for (Row g : groups) {
      String set = g.getAs("set");
      if (g.isNullAt(g.fieldIndex("model_version"))) {
        unmatched += set.equals(ALL) ? g.<Long>getAs("rows") : 0;
      } else if (set.equals(ALL)) {
        totals.add(g);
      } else if (set.equals(SCORE) || set.equals(CLASSES) || set.equals(RESIDUALS)) {
        details.computeIfAbsent(versionRole(g), k -> new ArrayList<>()).add(g);
      } else {
        sliceRows.add(g);
      }
    }
    List<VersionPerformance> versions = new ArrayList<>();
    totals.sort(Comparator.comparing(RealisedPerformance::versionRole));
    for (Row t : totals) {
      long labelled = t.getAs("labelled");
      versions.add(new VersionPerformance(t.getAs("model_version"), t.getAs("role"), t.getAs("rows"), labelled,
          measured(t, details.getOrDefault(versionRole(t), List.of())),
          t.isNullAt(t.fieldIndex("delay_median")) ? Double.NaN : t.<Double>getAs("delay_median"),
          t.isNullAt(t.fieldIndex("delay_mean")) ? Double.NaN : t.<Double>getAs("delay_mean")));
    }
    return new Report(versions, unmatched, worst(sliceRows));
  }

  /** The task's metrics of one version and role from its total and its score bins or class counts. */
  private Map<String, Double> measured(Row total, List<Row> details) {
    long labelled = total.getAs("labelled");
    Map<String, Double> metrics = new LinkedHashMap<>();
    switch (task) {
      case BINARY -> {
        metrics.put(Metric.AREA_UNDER_ROC.id(), auc(details));
        metrics.put(Metric.LOG_LOSS.id(), mean(total, "logloss", labelled));
        metrics.put(Metric.BRIER.id(), mean(total, "brier", labelled));
        metrics.put(Metric.ACCURACY.id(), mean(total, "hits", labelled));
        metrics.put(Metric.POSITIVE_RATE.id(), mean(total, "positives", labelled));
      }
      case MULTICLASS -> {
        ClassCounts counts = new ClassCounts();
        for (Row d : details) {
          long rows = d.getAs("labelled");
          if (rows > 0) {
            String[] pair = d.<String>getAs("key").split(SEPARATOR, -1);
            counts.add(pair[0], pair[1], rows);
          }
        }
        long withLoss = total.getAs("logloss_rows");
        counts.addLogLoss(total.isNullAt(total.fieldIndex("logloss")) ? 0 : total.<Double>getAs("logloss"), withLoss);
        Map<String, Double> classes = counts.metrics();
        for (Metric m : List.of(Metric.ACCURACY, Metric.MACRO_F1, Metric.WEIGHTED_F1, Metric.LOG_LOSS)) {
          metrics.put(m.id(), labelled == 0 ? Double.NaN : classes.getOrDefault(m.id(), Double.NaN));
        }
        metrics.put(Metric.UNSEEN_LABELS.id(), total.isNullAt(total.fieldIndex("unseen")) ? 0.0
            : total.<Double>getAs("unseen"));
      }
      case REGRESSION -> {
        Map<String, Double> errors = ErrorSums.read(total, total.fieldIndex("error_0")).metrics();
        for (Metric m : List.of(Metric.RMSE, Metric.MAE, Metric.R2, Metric.MEAN_RESIDUAL)) {
          metrics.put(m.id(), errors.get(m.id()));
        }
        metrics.put(Metric.RESIDUAL_PSI.id(), residualPsi(total.getAs("model_version"), details));
      }
    }
    return metrics;
  }

  private List<SliceError> worst(List<Row> sliceRows) {
    Map<String, List<SliceError>> bySlice = new LinkedHashMap<>();
    for (Row s : sliceRows) {
      long labelled = s.getAs("labelled");
      if (labelled < minSliceRows) {
        continue;
      }
      String column = s.<String>getAs("set").substring("slice:".length());
      SliceError error = task == Task.REGRESSION
          ? new SliceError(s.getAs("model_version"), s.getAs("role"), column, s.getAs("key"), labelled,
              Metric.RMSE.id(), ErrorSums.read(s, s.fieldIndex("error_0")).metrics().get(Metric.RMSE.id()), Double.NaN)
          : new SliceError(s.getAs("model_version"), s.getAs("role"), column, s.getAs("key"), labelled,
              Metric.LOG_LOSS.id(), mean(s, "logloss", s.<Long>getAs("logloss_rows")), 1 - mean(s, "hits", labelled));
      bySlice.computeIfAbsent(versionRole(s) + "/" + column, k -> new ArrayList<>()).add(error);
    }
    List<SliceError> worst = new ArrayList<>();
    bySlice.keySet().stream().sorted().forEach(k -> bySlice.get(k).stream()
        .sorted(Comparator.comparingDouble(SliceError::error).reversed().thenComparing(e -> String.valueOf(e.value())))
        .limit(worstSlices).forEach(worst::add));
    return worst;
  }
  /**
   * The PSI of the labelled rows' residuals per decile bin against a tenth in each, the shares they had on
   * the held-out rows at training; NaN for a version without deciles or without labelled rows.
   */
  private double residualPsi(int modelVersion, List<Row> bins) {
    double[] deciles = residualDeciles.get(modelVersion);
    if (deciles == null) {
      return Double.NaN;
    }
    long[] counts = new long[deciles.length + 1];
    for (Row b : bins) {
      if (b.<Long>getAs("labelled") > 0 && b.getAs("key") != null) {
        counts[Integer.parseInt(b.getAs("key"))] += b.<Long>getAs("labelled");
      }
    }
    long[] tenths = new long[counts.length];
    Arrays.fill(tenths, 1);
    return DriftMeasures.psi(tenths, counts);
  }

  /** ROC AUC from the labelled positives and negatives per score bin. */
  private static double auc(List<Row> bins) {
    double[] negatives = new double[RankingAreas.BINS];
    double[] positives = new double[RankingAreas.BINS];
    for (Row b : bins) {
      if (b.<Long>getAs("labelled") > 0) {
        int bin = Integer.parseInt(b.getAs("key"));
        positives[bin] += b.<Double>getAs("positives");
        negatives[bin] += b.<Long>getAs("labelled") - b.<Double>getAs("positives");
      }
    }
    return RankingAreas.of(negatives, positives).roc();
  }

  private static double mean(Row row, String sum, long count) {
    return count == 0 || row.isNullAt(row.fieldIndex(sum)) ? Double.NaN : row.<Double>getAs(sum) / count;
  }

  private static String versionRole(Row row) {
    return String.format("%010d/%s", row.<Integer>getAs("model_version"), row.<String>getAs("role"));
  }

  private void checkColumns(Dataset<Row> rows, List<String> needed, String what) {
    Set<String> columns = new HashSet<>(Arrays.asList(rows.columns()));
    List<String> all = new ArrayList<>(entityKey);
    all.addAll(needed);
    List<String> missing = all.stream().filter(c -> !columns.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw Errors.usage("Cannot measure realised performance: the " + what + " have no column "
          + String.join(", ", missing) + " (they have " + String.join(", ", rows.columns()) + "). Check "
          + "pipeline.entity-key, pipeline.label.column and pipeline.monitoring.performance.slices.");
    }
  }
}
