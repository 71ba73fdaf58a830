package io.mlcycle.training;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The train/test split and the cross-validation folds, as columns computed from the rows themselves: a
 * hash of the entity key and the seed (so a row keeps its side and fold as the table grows and on every
 * rerun), or for a time split the latest event times as the test set.
 */
public final class DataSplit {
  /** True for the rows of the final test set. */
  public static final String TEST = "_test";
  /** The cross-validation fold (0..k-1) of a training row. */
  public static final String FOLD = "_fold";
  private static final long BUCKETS = 1_000_000L;

  private DataSplit() {}

  /** Adds {@link #TEST} and {@link #FOLD}; a time split costs one job (the cut-off time). */
  public static Dataset<Row> assign(Dataset<Row> rows, TrainingSpec spec) {
    Column test = spec.splitMethod().equals("time")
        ? ColumnNames.column(spec.eventTime()).geq(lit(timeCutoff(rows, spec)))
        : pmod(keyHash(spec, spec.seed()), lit(BUCKETS)).lt(lit(Math.round(spec.testFraction() * BUCKETS)));
    return rows
        .withColumn(TEST, test)
        .withColumn(FOLD, pmod(keyHash(spec, spec.seed() + 1), lit((long) spec.folds())).cast("int"));
  }

  /** The event time from which rows are test rows: the (1 − test fraction) quantile. */
  private static java.sql.Timestamp timeCutoff(Dataset<Row> rows, TrainingSpec spec) {
    double seconds = rows.selectExpr("cast(unix_micros(cast(" + ColumnNames.quoted(spec.eventTime())
            + " as timestamp)) as double) / 1e6 as t")
        .stat().approxQuantile("t", new double[] {1 - spec.testFraction()}, 1e-4)[0];
    return new java.sql.Timestamp(Math.round(seconds * 1000));
  }

  static Column keyHash(TrainingSpec spec, long seed) {
    List<Column> columns = new ArrayList<>();
    columns.add(lit(seed));
    spec.entityKey().forEach(key -> columns.add(ColumnNames.column(key)));
    return xxhash64(columns.toArray(Column[]::new));
  }
}
