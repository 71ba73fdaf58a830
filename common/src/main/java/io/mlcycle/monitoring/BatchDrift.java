package io.mlcycle.monitoring;

import io.mlcycle.features.ReferenceProfile;
import io.mlcycle.io.Storage;
import io.mlcycle.job.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Measures the drift of one batch against frozen reference bins: "batch rows → count every column's rows
 * per reference bin in one aggregation (one Spark job, every row, no sample) → PSI, KS, chi-squared and
 * Jensen-Shannon per column on the driver". The batch holds the feature columns, and the probability
 * column when a prediction reference is given (or only that column, with no feature references).
 */
public final class BatchDrift {
  private final List<ReferenceBins> features;
  private final Optional<ReferenceBins> prediction;
  private final MonitoringSpec.DriftThresholds thresholds;

  public BatchDrift(List<ReferenceBins> features, Optional<ReferenceBins> prediction,
                    MonitoringSpec.DriftThresholds thresholds) {
    this.features = List.copyOf(features);
    this.prediction = prediction;
    this.thresholds = thresholds;
  }

  /**
   * The reference bins of the feature version a model was trained on; exits 2 when
   * {@code _mlcycle/feature_reference} has none for it, saying how to get them back.
   */
  public static List<ReferenceBins> featureReference(SparkSession spark, Storage storage, String dataset,
                                                     int featureVersion, String model, int modelVersion) {
    List<ReferenceProfile.Bin> bins = ReferenceProfile.bins(spark, storage, dataset, featureVersion);
    if (bins.isEmpty()) {
      throw Errors.usage("Cannot measure drift for model " + model + " version " + modelVersion + ": "
          + storage.system(ReferenceProfile.TABLE) + " has no reference bins for feature version " + featureVersion
          + " of '" + dataset + "', which the model was trained on. The features job writes them when it builds a "
          + "feature version: restore the table to a version that has them (Delta RESTORE or time travel), or "
          + "build a new feature version with 'mlcycle features' and retrain the model on it.");
    }
    return ReferenceBins.fromProfile(bins);
  }

  /** The drift of {@code batch}, from one Spark aggregation over all its rows. */
  public DriftReport measure(Dataset<Row> batch) {
    List<ReferenceBins> all = new ArrayList<>(features);
    prediction.ifPresent(all::add);
    checkColumns(batch, all);
    List<Column> slots = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      slots.add(all.get(i).slot(functions.col(all.get(i).column())).as("slot_" + i));
    }
    List<Column> counts = new ArrayList<>(List.of(functions.count(functions.lit(1)).as("rows")));
    for (int i = 0; i < all.size(); i++) {
      for (int s = 0; s < all.get(i).slots(); s++) {
        counts.add(functions.count_if(functions.col("slot_" + i).equalTo(s)).as("count_" + i + "_" + s));
      }
    }
    Row row = inOneJob(batch.select(slots.toArray(Column[]::new)), counts);
    List<FeatureDrift> drift = new ArrayList<>();
    int offset = 1;
    for (ReferenceBins reference : all) {
      long[] observed = new long[reference.slots()];
      for (int s = 0; s < observed.length; s++) {
        observed[s] = row.getLong(offset++);
      }
      drift.add(FeatureDrift.of(reference, observed, thresholds));
    }
    Optional<FeatureDrift> predictionDrift = prediction.map(p -> drift.remove(drift.size() - 1));
    return new DriftReport(drift, predictionDrift, row.getLong(0), thresholds);
  }

  /**
   * The aggregates over every row in one Spark job: a global {@code agg} would be two under adaptive
   * execution (the partial aggregates' shuffle, then the final one), so they are observed while the rows
   * stream into the no-op sink instead; tasks merge their partial aggregates on the driver.
   */
  private static Row inOneJob(Dataset<Row> rows, List<Column> aggregates) {
    Observation observation = new Observation("drift_counts");
    rows.observe(observation, aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .write().format("noop").mode("overwrite").save();
    return observation.getRow();
  }

  private static void checkColumns(Dataset<Row> batch, List<ReferenceBins> references) {
    List<String> columns = Arrays.asList(batch.columns());
    List<String> missing = references.stream().map(ReferenceBins::column).filter(c -> !columns.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw Errors.usage("Cannot measure drift: the batch has no column " + String.join(", ", missing)
          + " of the reference (it has " + String.join(", ", columns) + "). Monitor the batch with the feature "
          + "version its model was trained on, or rebuild the batch's features with 'mlcycle features'.");
    }
  }
}
