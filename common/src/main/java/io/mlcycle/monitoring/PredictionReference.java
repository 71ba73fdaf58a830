package io.mlcycle.monitoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The reference a model version's prediction drift is measured against: the histogram of its first scored
 * batch over equal-width bins of [0, 1]. Training keeps no histogram of its own predictions, and the first
 * batch a version scored is the distribution it was promoted on; that batch drifts 0 against itself.
 */
public final class PredictionReference {
  /** The predictions table's batch and scoring-time columns (see the scoring contract). */
  public static final String BATCH_ID = "_batch_id";
  public static final String SCORED_AT = "scored_at";

  private PredictionReference() {}

  /**
   * The histogram of the earliest-scored batch among {@code predictions} (the rows of one model version),
   * from one aggregation grouped by batch; empty when there are no rows.
   */
  public static Optional<ReferenceBins> firstBatch(Dataset<Row> predictions, String probability, int bins) {
    ReferenceBins empty = ReferenceBins.prediction(probability, bins, new long[bins + 1]);
    Column slot = empty.slot(functions.col(probability));
    List<Column> counts = new ArrayList<>();
    for (int s = 0; s < empty.slots(); s++) {
      counts.add(functions.count_if(slot.equalTo(s)));
    }
    List<Row> batches = predictions.groupBy(BATCH_ID)
        .agg(functions.min(SCORED_AT), counts.toArray(Column[]::new)).collectAsList();
    return batches.stream()
        .min(Comparator.comparing((Row r) -> r.getTimestamp(1)).thenComparing(r -> r.getString(0)))
        .map(first -> {
          long[] reference = new long[empty.slots()];
          for (int s = 0; s < reference.length; s++) {
            reference[s] = first.getLong(2 + s);
          }
          return ReferenceBins.prediction(probability, bins, reference);
        });
  }
}
