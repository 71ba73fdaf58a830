package io.mlcycle.monitoring;

import io.mlcycle.base.Errors;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.RankingAreas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * How the models did once the real outcomes arrived: "predictions ⟗ labels on the entity key → one
 * aggregation → per model version and role: coverage, label delay, ROC AUC, log loss, Brier score,
 * accuracy; the worst slices; and the labels no prediction matched". Binary tasks.
 *
 * <p>Inputs. {@code predictions} are rows of {@code predictions/<dataset>} (entity key, {@code probability},
 * {@code prediction}, {@code model_version}, {@code role}, {@code scored_at}), one per entity, version and
 * role, already narrowed to the model and the batches in scope. {@code labels} are the labelled rows in
 * scope (entity key, the 0/1 label, {@value #ARRIVED_AT}: when the outcome reached mlcycle, e.g. the
 * ingest time of the batch that brought it; plus any slice columns). The caller picks the scope: all
 * predictions and labels so far make coverage cumulative.
 *
 * <p>One Spark aggregation (one full outer join, grouped once) computes it all: rows are counted per
 * version, role and grouping — the whole group, each score bin (the grid of {@link RankingAreas}, so the
 * AUC is the one training and evaluation report for the same scores) and each slice value. Log loss,
 * Brier score and accuracy are exact sums. Accuracy compares the stored {@code prediction} (made at the
 * model's chosen threshold) with the label.
 */
public final class RealisedPerformance {
  /** The realised metrics' names, as {@link Metric} has them. */
  public static final String AUC = Metric.AREA_UNDER_ROC.id();
  public static final String LOG_LOSS = Metric.LOG_LOSS.id();
  public static final String BRIER = Metric.BRIER.id();
  public static final String ACCURACY = Metric.ACCURACY.id();
  /** When an outcome arrived; label delay is measured from the prediction's {@code scored_at} to it. */
  public static final String ARRIVED_AT = "arrived_at";
  private static final String ALL = "all";
  private static final String SCORE = "score";

  private final List<String> entityKey;
  private final String label;
  private final List<String> slices;
  private final int worstSlices;
  private final long minSliceRows;

  /**
   * @param label the label column of {@code labels}, 0/1
   * @param slices columns of {@code labels} realised error is sliced by
   */
  public RealisedPerformance(List<String> entityKey, String label, List<String> slices, int worstSlices,
                             long minSliceRows) {
    this.entityKey = List.copyOf(entityKey);
    this.label = label;
    this.slices = List.copyOf(slices);
    this.worstSlices = worstSlices;
    this.minSliceRows = minSliceRows;
  }

  /** Realised metrics of one model version in one role. NaN where undefined (no labels, one class). */
  public record VersionPerformance(int modelVersion, String role, long predicted, long labelled, double auc,
                                   double logLoss, double brier, double accuracy, double positiveRate,
                                   double delayHoursMedian, double delayHoursMean) {
    /** Labelled over predicted rows. */
    public double coverage() {
      return predicted == 0 ? Double.NaN : (double) labelled / predicted;
    }

    /** The metric by its name: those of {@link MonitoringSpec} floors and ceilings, and the rest. */
    public Map<String, Double> metrics() {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put(Metric.PREDICTED_ROWS.id(), (double) predicted);
      metrics.put(Metric.LABELLED_ROWS.id(), (double) labelled);
      metrics.put(Metric.COVERAGE.id(), coverage());
      metrics.put(Metric.AREA_UNDER_ROC.id(), auc);
      metrics.put(Metric.LOG_LOSS.id(), logLoss);
      metrics.put(Metric.BRIER.id(), brier);
      metrics.put(Metric.ACCURACY.id(), accuracy);
      metrics.put(Metric.POSITIVE_RATE.id(), positiveRate);
      metrics.put(Metric.LABEL_DELAY_HOURS_MEDIAN.id(), delayHoursMedian);
      metrics.put(Metric.LABEL_DELAY_HOURS_MEAN.id(), delayHoursMean);
      return metrics;
    }
  }

  /** Realised error of one slice value: log loss and the share of wrong predictions. */
  public record SliceError(int modelVersion, String role, String column, String value, long labelled, double logLoss,
                           double errorRate) {}

  /**
   * @param unmatchedLabels labels whose entity key no prediction has: counted, not dropped
   * @param worstSlices per version, role and slice column, the slices with the highest log loss, worst first
   */
  public record Report(List<VersionPerformance> versions, long unmatchedLabels, List<SliceError> worstSlices) {
    public Report {
      versions = List.copyOf(versions);
      worstSlices = List.copyOf(worstSlices);
    }
  }

  public Report measure(Dataset<Row> predictions, Dataset<Row> labels) {
    checkColumns(predictions, List.of("probability", "prediction", "model_version", "role", "scored_at"), "predictions");
    List<String> labelColumns = new ArrayList<>(List.of(label, ARRIVED_AT));
    labelColumns.addAll(slices);
    checkColumns(labels, labelColumns, "labels");
    List<String> keep = new ArrayList<>(entityKey);
    keep.addAll(List.of("probability", "prediction", "model_version", "role", "scored_at"));
    List<String> labelKeep = new ArrayList<>(entityKey);
    labelKeep.addAll(labelColumns);
    Dataset<Row> joined = predictions.select(keep.stream().map(ColumnNames::column).toArray(Column[]::new))
        .join(labels.select(labelKeep.stream().map(ColumnNames::column).toArray(Column[]::new))
                .withColumn("_label", functions.col(label).cast(DataTypes.DoubleType)),
            scala.jdk.javaapi.CollectionConverters.asScala(entityKey).toSeq(), "full_outer");
    List<Row> groups = aggregate(joined).collectAsList();
    return summarise(groups);
  }

  private Dataset<Row> aggregate(Dataset<Row> joined) {
    Column y = functions.col("_label");
    Column p = functions.least(functions.greatest(functions.col("probability"), functions.lit(1e-15)),
        functions.lit(1 - 1e-15));
    Column labelled = y.isNotNull().and(functions.col("model_version").isNotNull());
    Column delay = functions.unix_micros(functions.col(ARRIVED_AT)).minus(functions.unix_micros(functions.col("scored_at")))
        .divide(3.6e9);
    List<Column> groupings = new ArrayList<>(List.of(
        functions.struct(functions.lit(ALL).as("set"), functions.lit(null).cast(DataTypes.StringType).as("key")),
        functions.struct(functions.lit(SCORE).as("set"),
            RankingAreas.bin(functions.col("probability")).cast(DataTypes.StringType).as("key"))));
    for (String slice : slices) {
      groupings.add(functions.struct(functions.lit("slice:" + slice).as("set"),
          ColumnNames.column(slice).cast(DataTypes.StringType).as("key")));
    }
    Column whenLabelled = functions.when(labelled, functions.lit(1.0));
    return joined
        .withColumn("_labelled", labelled)
        .withColumn("_logloss", whenLabelled.multiply(y.multiply(functions.log(p)).plus(
            functions.lit(1).minus(y).multiply(functions.log(functions.lit(1).minus(p)))).multiply(-1)))
        .withColumn("_brier", whenLabelled.multiply(functions.pow(functions.col("probability").minus(y), 2)))
        .withColumn("_hit", whenLabelled.multiply(functions.when(functions.col("prediction").equalTo(y), 1.0)
            .otherwise(0.0)))
        .withColumn("_delay", functions.when(labelled, delay))
        .withColumn("_grouping", functions.explode(functions.array(groupings.toArray(Column[]::new))))
        .groupBy(functions.col("model_version"), functions.col("role"), functions.col("_grouping.set").as("set"),
            functions.col("_grouping.key").as("key"))
        .agg(functions.count(functions.lit(1)).as("rows"),
            functions.count_if(functions.col("_labelled")).as("labelled"),
            functions.sum(functions.when(functions.col("_labelled"), y)).as("positives"),
            functions.sum("_logloss").as("logloss"),
            functions.sum("_brier").as("brier"),
            functions.sum("_hit").as("hits"),
            functions.avg(functions.when(functions.col("_grouping.set").equalTo(ALL), functions.col("_delay"))).as("delay_mean"),
            functions.percentile_approx(functions.when(functions.col("_grouping.set").equalTo(ALL),
                functions.col("_delay")), functions.lit(0.5), functions.lit(10_000)).as("delay_median"));
  }

  private Report summarise(List<Row> groups) {
    Map<String, List<Row>> scoreBins = new LinkedHashMap<>();
    List<Row> totals = new ArrayList<>();
    List<Row> sliceRows = new ArrayList<>();
    long unmatched = 0;
    for (Row g : groups) {
      String set = g.getAs("set");
      if (g.isNullAt(g.fieldIndex("model_version"))) {
        unmatched += set.equals(ALL) ? g.<Long>getAs("rows") : 0;
      } else if (set.equals(ALL)) {
        totals.add(g);
      } else if (set.equals(SCORE)) {
        scoreBins.computeIfAbsent(versionRole(g), k -> new ArrayList<>()).add(g);
      } else {
        sliceRows.add(g);
      }
    }
    List<VersionPerformance> versions = new ArrayList<>();
    totals.sort(Comparator.comparing(RealisedPerformance::versionRole));
    for (Row t : totals) {
      long labelled = t.getAs("labelled");
      versions.add(new VersionPerformance(t.getAs("model_version"), t.getAs("role"), t.getAs("rows"), labelled,
          auc(scoreBins.getOrDefault(versionRole(t), List.of())), mean(t, "logloss", labelled),
          mean(t, "brier", labelled), mean(t, "hits", labelled), mean(t, "positives", labelled),
          t.isNullAt(t.fieldIndex("delay_median")) ? Double.NaN : t.<Double>getAs("delay_median"),
          t.isNullAt(t.fieldIndex("delay_mean")) ? Double.NaN : t.<Double>getAs("delay_mean")));
    }
    return new Report(versions, unmatched, worst(sliceRows));
  }

  private List<SliceError> worst(List<Row> sliceRows) {
    Map<String, List<SliceError>> bySlice = new LinkedHashMap<>();
    for (Row s : sliceRows) {
      long labelled = s.getAs("labelled");
      if (labelled < minSliceRows) {
        continue;
      }
      String column = s.<String>getAs("set").substring("slice:".length());
      SliceError error = new SliceError(s.getAs("model_version"), s.getAs("role"), column, s.getAs("key"), labelled,
          mean(s, "logloss", labelled), 1 - mean(s, "hits", labelled));
      bySlice.computeIfAbsent(versionRole(s) + "/" + column, k -> new ArrayList<>()).add(error);
    }
    List<SliceError> worst = new ArrayList<>();
    bySlice.keySet().stream().sorted().forEach(k -> bySlice.get(k).stream()
        .sorted(Comparator.comparingDouble(SliceError::logLoss).reversed().thenComparing(e -> String.valueOf(e.value())))
        .limit(worstSlices).forEach(worst::add));
    return worst;
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
