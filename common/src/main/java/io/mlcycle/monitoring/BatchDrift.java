package io.mlcycle.monitoring;

import io.mlcycle.features.ReferenceProfile;
import io.mlcycle.io.Storage;
import io.mlcycle.base.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Measures the drift of one batch against frozen reference bins: "batch rows → count every column's rows
 * per reference bin in one pass (one Spark job, every row, no sample) → PSI, KS, chi-squared and
 * Jensen-Shannon per column on the driver". The batch holds the feature columns, and the probability
 * column when a prediction reference is given (or only that column, with no feature references).
 */
public final class BatchDrift {
  private final List<ReferenceBins> features;
  private final Optional<ReferenceBins> prediction;
  private final MonitoringSpec.DriftThresholds thresholds;
  private final Set<String> unmonitored;

  /** @param unmonitored features measured but not counted in the batch's drift share */
  public BatchDrift(List<ReferenceBins> features, Optional<ReferenceBins> prediction,
                    MonitoringSpec.DriftThresholds thresholds, Set<String> unmonitored) {
    this.features = List.copyOf(features);
    this.prediction = prediction;
    this.thresholds = thresholds;
    this.unmonitored = Set.copyOf(unmonitored);
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

  /** The drift of {@code batch}, from one Spark job over all its rows. */
  public DriftReport measure(Dataset<Row> batch) {
    List<ReferenceBins> all = new ArrayList<>(features);
    prediction.ifPresent(all::add);
    checkColumns(batch, all);
    List<Column> slots = new ArrayList<>();
    int[] offsets = new int[all.size() + 1];
    for (int i = 0; i < all.size(); i++) {
      slots.add(all.get(i).slot(functions.col(all.get(i).column())).cast(DataTypes.IntegerType));
      offsets[i + 1] = offsets[i] + all.get(i).slots();
    }
    long[] counts = count(batch.select(slots.toArray(Column[]::new)), offsets);
    List<FeatureDrift> drift = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      drift.add(FeatureDrift.of(all.get(i), Arrays.copyOfRange(counts, offsets[i], offsets[i + 1]), thresholds));
    }
    Optional<FeatureDrift> predictionDrift = prediction.map(p -> drift.remove(drift.size() - 1));
    return new DriftReport(drift, predictionDrift, counts[offsets[all.size()]], thresholds, unmonitored);
  }

  /**
   * Every column's rows per slot, then the row count, in one Spark job: {@code slots} holds each column's
   * slot, computed by built-in functions; each task only adds one per column and row into a flat array
   * ({@code offsets[i]} is where column {@code i}'s slots start), and the arrays are summed. A SQL
   * {@code count_if} per slot would evaluate every slot's condition on every row, and under adaptive
   * execution run as two jobs; {@code Dataset.observe} would run as one, but leaves the session unable to
   * serialise (Spark 4.1's ObservationManager), which breaks MLlib later in the same session.
   */
  private static long[] count(Dataset<Row> slots, int[] offsets) {
    int columns = offsets.length - 1;
    int total = offsets[columns];
    return slots.javaRDD().treeAggregate(new long[total + 1], (acc, row) -> {
      for (int i = 0; i < columns; i++) {
        acc[offsets[i] + row.getInt(i)]++;
      }
      acc[total]++;
      return acc;
    }, (a, b) -> {
      for (int k = 0; k < a.length; k++) {
        a[k] += b[k];
      }
      return a;
    });
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
