package io.mlcycle.training;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.mlcycle.base.Errors;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What must hold before a model is trained, checked in one aggregation over the training rows: enough
 * rows, more than one class, no input that is constant or all null. A failure exits 3 (a data-quality
 * gate): the data, not the configuration, is what has to change. The same pass over the laid-out rows
 * also takes their identity for the lineage, so the cached rows are read once for both.
 */
public final class TrainingGuards {
  /**
   * A hash of each row's entity key and fold, taken before the layout is cached (the key itself is not cached):
   * their XOR over the training rows is the fold assignment's fingerprint.
   */
  public static final String FOLD_ASSIGNMENT = "_fold_assignment";

  private TrainingGuards() {}

  /** The {@link #FOLD_ASSIGNMENT} column of rows that carry their entity key and {@link DataSplit#FOLD}. */
  public static Column foldAssignment(TrainingSpec spec) {
    List<Column> keyAndFold = new ArrayList<>();
    spec.entityKey().forEach(key -> keyAndFold.add(ColumnNames.column(key)));
    keyAndFold.add(col(DataSplit.FOLD));
    return xxhash64(keyAndFold.toArray(Column[]::new)).as(FOLD_ASSIGNMENT);
  }

  /**
   * The facts the guards established, recorded with the run.
   *
   * @param rows the training rows
   * @param rowsHash the identity of all laid-out rows: their count, the XOR and the sum of the low 24 bits of
   *     their row hashes (both order-independent and free of overflow under ANSI arithmetic; the sum also sees a
   *     row that appears twice)
   */
  public record Facts(long rows, long classes, long foldFingerprint, String rowsHash) {}

  /**
   * @param laidOut every row of the training layout, test rows included, with their {@link #FOLD_ASSIGNMENT}
   * @param training which of them are training rows
   * @param rowHash the column of each row's hash
   */
  public static Facts check(Dataset<Row> laidOut, Column training, String rowHash, TrainingSpec spec) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count_if(training));
    // Each aggregate below skips nulls, so a value kept only for training rows aggregates those rows alone.
    aggregates.add(approx_count_distinct(when(training, col(spec.label()))));
    // XOR: order-independent, and no overflow under ANSI arithmetic as a sum of hashes would have.
    aggregates.add(bit_xor(when(training, col(FOLD_ASSIGNMENT))));
    aggregates.add(count(lit(1)));
    aggregates.add(bit_xor(col(rowHash)));
    aggregates.add(sum(col(rowHash).bitwiseAND(lit(0xFFFFFFL))));
    for (String input : spec.inputs()) {
      aggregates.add(count(when(training, col(input))));
      aggregates.add(approx_count_distinct(when(training, col(input))));
    }
    Row facts = laidOut.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .first();
    long rows = facts.getLong(0);
    long classes = facts.getLong(1);
    String rowsHash = facts.getLong(3) + ":" + Long.toHexString(facts.isNullAt(4) ? 0 : facts.getLong(4)) + ":"
        + Long.toHexString(facts.isNullAt(5) ? 0 : facts.getLong(5));
    if (rows < spec.minTrainRows()) {
      throw Errors.dataQuality("Cannot train " + spec.name() + ": the training split has " + rows
          + " labelled rows, fewer than pipeline.model.min-train-rows = " + spec.minTrainRows()
          + ". Ingest more batches, or, to train on these rows, set pipeline.model.min-train-rows = " + Math.max(rows, 1)
          + " in the pipeline file (or pass --set pipeline.model.min-train-rows=" + Math.max(rows, 1) + ").");
    }
    if (spec.task() != Task.REGRESSION && classes < 2) {
      throw Errors.dataQuality("Cannot train " + spec.name() + ": the label '" + spec.label()
          + "' has a single class in the training rows. Check the label definition and the data's date range.");
    }
    List<String> inputs = spec.inputs();
    for (int i = 0; i < inputs.size(); i++) {
      long nonNull = facts.getLong(6 + 2 * i);
      long distinct = facts.getLong(7 + 2 * i);
      if (nonNull == 0) {
        throw Errors.dataQuality("Cannot train " + spec.name() + ": input column '" + inputs.get(i)
            + "' is null in every training row. Fix its feature definition, or remove it from pipeline.model.");
      }
      if (distinct < 2) {
        throw Errors.dataQuality("Cannot train " + spec.name() + ": input column '" + inputs.get(i)
            + "' has one value in every training row, so it cannot inform the model. Remove it from pipeline.model.");
      }
    }
    Object fingerprint = facts.get(2);
    return new Facts(rows, classes, fingerprint == null ? 0 : ((Number) fingerprint).longValue(), rowsHash);
  }
}
