package io.mlcycle.training;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
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
 * gate): the data, not the configuration, is what has to change.
 */
public final class TrainingGuards {
  private TrainingGuards() {}

  /** The facts the guards established, recorded with the run. */
  public record Facts(long rows, long classes, long foldFingerprint) {}

  public static Facts check(Dataset<Row> training, TrainingSpec spec) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    aggregates.add(approx_count_distinct(col(spec.label())));
    List<Column> keyAndFold = new ArrayList<>();
    spec.entityKey().forEach(key -> keyAndFold.add(ColumnNames.column(key)));
    keyAndFold.add(col(DataSplit.FOLD));
    // XOR: order-independent, and no overflow under ANSI arithmetic as a sum of hashes would have.
    aggregates.add(bit_xor(xxhash64(keyAndFold.toArray(Column[]::new))));
    for (String input : spec.inputs()) {
      aggregates.add(count(col(input)));
      aggregates.add(approx_count_distinct(col(input)));
    }
    Row facts = training.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .first();
    long rows = facts.getLong(0);
    long classes = facts.getLong(1);
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
      long nonNull = facts.getLong(3 + 2 * i);
      long distinct = facts.getLong(4 + 2 * i);
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
    return new Facts(rows, classes, fingerprint == null ? 0 : ((Number) fingerprint).longValue());
  }
}
