package io.mlcycle.init;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;

import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Profiles every column of a sample in one aggregation (one Spark job, however many columns): counts, nulls,
 * approximate distinct values (exact ones for the columns that may be a key), range and approximate
 * percentiles of numbers, span and calendar spread of times, and the most frequent values.
 */
final class SampleProfiler {
  /** Top values kept per column: one more than the most values an allowed-values rule lists. */
  static final int TOP_VALUES = StarterPipeline.MAX_CATEGORIES + 1;
  private static final double[] PERCENTILES = {0.01, 0.5, 0.99};

  private SampleProfiler() {}

  /** The profile of each column of {@code sample}, in column order. */
  static List<ColumnProfile> profile(Dataset<Row> sample) {
    StructField[] fields = sample.schema().fields();
    List<Column> aggregates = new ArrayList<>(List.of(count(lit(1)).as("rows")));
    for (int i = 0; i < fields.length; i++) {
      aggregates.addAll(aggregates(fields[i], "c" + i + "_"));
    }
    Row row = sample.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
    long rows = row.getLong(row.fieldIndex("rows"));
    List<ColumnProfile> profiles = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      profiles.add(read(fields[i], "c" + i + "_", row, rows));
    }
    return profiles;
  }

  private static List<Column> aggregates(StructField field, String prefix) {
    ColumnProfile shape = new ColumnProfile(field.name(), field.dataType(), 0, 0, 0, OptionalLong.empty(),
        Optional.empty(), Optional.empty(), List.of());
    Column value = ColumnNames.column(field.name());
    List<Column> aggregates = new ArrayList<>(List.of(count(value).as(prefix + "n")));
    if (!shape.isAtomic()) {
      return aggregates;
    }
    aggregates.add(approx_count_distinct(value).as(prefix + "d"));
    if (shape.isString() || shape.isIntegral()) {
      aggregates.add(count_distinct(value).as(prefix + "x"));
    }
    if (shape.isNumeric()) {
      Column number = value.cast("double");
      aggregates.add(min(number).as(prefix + "min"));
      aggregates.add(max(number).as(prefix + "max"));
      Column[] points = java.util.Arrays.stream(PERCENTILES).mapToObj(p -> lit(p)).toArray(Column[]::new);
      aggregates.add(percentile_approx(number, array(points), lit(10000)).as(prefix + "q"));
    }
    if (shape.isTime()) {
      aggregates.add(min(value).cast("string").as(prefix + "first"));
      aggregates.add(max(value).cast("string").as(prefix + "last"));
      aggregates.add(datediff(max(value), min(value)).cast("long").as(prefix + "days"));
      aggregates.add(approx_count_distinct(hour(value.cast(DataTypes.TimestampType))).as(prefix + "hours"));
      aggregates.add(approx_count_distinct(dayofweek(value)).as(prefix + "weekdays"));
    }
    if (shape.isString() || shape.isBoolean() || shape.isNumeric()) {
      // approx_top_k counts null as a value: one slot more, filtered out.
      Column top = call_function("approx_top_k", value.cast("string"), lit(TOP_VALUES + 1), lit(10000));
      aggregates.add(filter(top, x -> x.getField("item").isNotNull()).as(prefix + "top"));
    }
    return aggregates;
  }

  private static ColumnProfile read(StructField field, String prefix, Row row, long rows) {
    long nonNull = row.getLong(row.fieldIndex(prefix + "n"));
    OptionalLong exact = has(row, prefix + "x") ? OptionalLong.of(row.getLong(row.fieldIndex(prefix + "x")))
        : OptionalLong.empty();
    // HyperLogLog may count a few more values than there are rows.
    long distinct = has(row, prefix + "d") ? Math.min(nonNull, row.getLong(row.fieldIndex(prefix + "d"))) : 0;
    Optional<ColumnProfile.Numbers> numbers = Optional.empty();
    if (has(row, prefix + "min") && !row.isNullAt(row.fieldIndex(prefix + "min"))) {
      List<Double> q = row.getList(row.fieldIndex(prefix + "q"));
      numbers = Optional.of(new ColumnProfile.Numbers(row.getDouble(row.fieldIndex(prefix + "min")),
          row.getDouble(row.fieldIndex(prefix + "max")), q.get(0), q.get(1), q.get(2)));
    }
    Optional<ColumnProfile.Times> times = Optional.empty();
    if (has(row, prefix + "first") && !row.isNullAt(row.fieldIndex(prefix + "first"))) {
      times = Optional.of(new ColumnProfile.Times(row.getString(row.fieldIndex(prefix + "first")),
          row.getString(row.fieldIndex(prefix + "last")), row.getLong(row.fieldIndex(prefix + "days")),
          row.getLong(row.fieldIndex(prefix + "hours")), row.getLong(row.fieldIndex(prefix + "weekdays"))));
    }
    List<ColumnProfile.ValueCount> top = new ArrayList<>();
    if (has(row, prefix + "top")) {
      for (Row item : row.<Row>getList(row.fieldIndex(prefix + "top"))) {
        top.add(new ColumnProfile.ValueCount(item.getString(0), ((Number) item.get(1)).longValue()));
      }
    }
    return new ColumnProfile(field.name(), field.dataType(), rows, nonNull, distinct, exact, numbers, times,
        top.subList(0, Math.min(top.size(), TOP_VALUES)));
  }

  private static boolean has(Row row, String field) {
    return java.util.Arrays.asList(row.schema().fieldNames()).contains(field);
  }
}
