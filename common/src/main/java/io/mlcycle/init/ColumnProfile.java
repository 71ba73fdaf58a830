package io.mlcycle.init;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

/**
 * What one aggregation pass over a sample learnt of one column: the evidence every choice of {@code mlcycle init}
 * cites.
 *
 * @param rows the sampled rows
 * @param nonNull rows where the column is not null
 * @param distinct approximate distinct non-null values (HyperLogLog)
 * @param exactDistinct exact distinct non-null values, counted for the columns that may be a key (strings and
 *     integers): uniqueness is decided on it
 * @param numbers numeric columns: minimum, maximum and the 1st, 50th and 99th percentiles (approximate)
 * @param times timestamp and date columns: first and last value, the days between them, and how many distinct
 *     hours and days of the week the values fall on
 * @param top the most frequent values with their counts, most frequent first (strings, booleans, numbers)
 */
public record ColumnProfile(String name, DataType type, long rows, long nonNull, long distinct,
                            OptionalLong exactDistinct, Optional<Numbers> numbers, Optional<Times> times,
                            List<ValueCount> top) {
  public ColumnProfile {
    top = List.copyOf(top);
  }

  /** A numeric column's range and percentiles. */
  public record Numbers(double min, double max, double p01, double p50, double p99) {}

  /** A time column's span. */
  public record Times(String first, String last, long days, long hours, long daysOfWeek) {}

  /** One frequent value and how many sampled rows hold it. */
  public record ValueCount(String value, long count) {}

  public long nulls() {
    return rows - nonNull;
  }

  /** No nulls and every value different, counted exactly. */
  public boolean unique() {
    return nonNull == rows && rows > 0 && exactDistinct.isPresent() && exactDistinct.getAsLong() == rows;
  }

  /** Every distinct value is among {@link #top}: its counts are the whole distribution. */
  public boolean fullyCounted() {
    return top.size() == distinctValues() && top.stream().mapToLong(ValueCount::count).sum() == nonNull;
  }

  /** The exact distinct count when counted, else the approximate one. */
  public long distinctValues() {
    return exactDistinct.orElse(distinct);
  }

  public boolean isString() {
    return type instanceof StringType;
  }

  public boolean isBoolean() {
    return type instanceof BooleanType;
  }

  public boolean isNumeric() {
    return type instanceof NumericType;
  }

  public boolean isIntegral() {
    return type instanceof IntegerType || type instanceof LongType || type instanceof ShortType
        || type instanceof ByteType;
  }

  public boolean isFloating() {
    return type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType);
  }

  /** A timestamp or a date: what mlcycle's event time may be. */
  public boolean isTime() {
    return type.equals(DataTypes.TimestampType) || type instanceof DateType;
  }

  /** A type a key or a rule may be about: not a struct, array or map, not binary. */
  public boolean isAtomic() {
    return isString() || isBoolean() || isNumeric() || isTime();
  }

  public double nullFraction() {
    return rows == 0 ? 0 : (double) nulls() / rows;
  }
}
