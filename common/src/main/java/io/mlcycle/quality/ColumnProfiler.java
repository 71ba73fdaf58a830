package io.mlcycle.quality;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.stddev;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A profile of every column of a batch — count, nulls, approximate distinct, min, max, mean, stddev,
 * quantiles, top values, histogram — as aggregate columns that join the batch's one aggregation (no job
 * per column). PII columns get counts only: their values never reach a profile.
 */
public final class ColumnProfiler {
  /** The quantiles recorded: 5th, 25th, 50th, 75th and 95th percentiles. */
  public static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};
  static final int TOP_VALUES = 5;
  static final int HISTOGRAM_BINS = 10;
  private static final int SLOTS = 10;

  private final List<DeclaredColumn> columns;
  private final Set<String> unique;

  /**
   * @param unique columns whose every value is distinct by design (a one-column entity key): no top
   *     values, which would list arbitrary values once each, and cost a frequent-items sketch that
   *     churns through every one of them
   */
  public ColumnProfiler(List<DeclaredColumn> columns, Set<String> unique) {
    this.columns = List.copyOf(columns);
    this.unique = Set.copyOf(unique);
  }

  /** The aggregates, {@value #SLOTS} per column, over the rows where {@code profiled} is true. */
  public List<Column> aggregates(Column profiled) {
    List<Column> aggregates = new ArrayList<>();
    for (DeclaredColumn column : columns) {
      Column value = when(profiled, ColumnNames.column(column.name()));
      aggregates.add(count(value));
      aggregates.add(count_if(profiled.and(ColumnNames.column(column.name()).isNull())));
      aggregates.add(approx_count_distinct(value));
      boolean values = !column.pii();
      boolean numeric = values && column.isNumeric();
      Column number = value.cast("double");
      aggregates.add(values ? min(value).cast("string") : nullOf("string"));
      aggregates.add(values ? max(value).cast("string") : nullOf("string"));
      aggregates.add(numeric ? avg(number) : nullOf("double"));
      aggregates.add(numeric ? stddev(number) : nullOf("double"));
      aggregates.add(numeric ? percentile_approx(number, quantiles(), lit(10000)) : nullOf("array<double>"));
      boolean topValues = values && column.isString() && !unique.contains(column.name());
      aggregates.add(topValues ? topValues(value) : nullOf("array<struct<value:string,count:bigint>>"));
      aggregates.add(numeric ? histogram(number) : nullOf("array<struct<x:double,y:double>>"));
    }
    return aggregates;
  }

  /** One profile row per column from the aggregated values starting at {@code offset}. */
  public List<Row> rows(Row values, int offset, long rows) {
    List<Row> result = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      int at = offset + i * SLOTS;
      DeclaredColumn column = columns.get(i);
      result.add(RowFactory.create(column.name(), column.type().simpleString(), column.pii(), rows,
          values.getLong(at), values.getLong(at + 1), values.getLong(at + 2), values.get(at + 3), values.get(at + 4),
          values.get(at + 5), values.get(at + 6), values.get(at + 7), values.get(at + 8), values.get(at + 9)));
    }
    return result;
  }

  public int width() {
    return columns.size() * SLOTS;
  }

  private static Column topValues(Column value) {
    // Rows outside the profile are nulls here, and approx_top_k counts null as a value: one extra slot, filtered.
    Column top = call_function("approx_top_k", value, lit(TOP_VALUES + 1), lit(10000));
    Column values = org.apache.spark.sql.functions.filter(top, x -> x.getField("item").isNotNull());
    return org.apache.spark.sql.functions.slice(transform(values, x -> struct(x.getField("item").cast("string").as("value"),
        x.getField("count").cast("bigint").as("count"))), 1, TOP_VALUES);
  }

  private static Column histogram(Column number) {
    return call_function("histogram_numeric", number, lit(HISTOGRAM_BINS));
  }

  private static Column quantiles() {
    Column[] points = new Column[QUANTILES.length];
    for (int i = 0; i < QUANTILES.length; i++) {
      points[i] = lit(QUANTILES[i]);
    }
    return array(points);
  }

  private static Column nullOf(String type) {
    return lit(null).cast(type);
  }
}
