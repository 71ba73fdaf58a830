package io.mlcycle.features;

import io.mlcycle.io.ColumnNames;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * An aggregate over the rows of the same group (e.g. the same origin airport) whose event time lies in
 * {@code [t - lookback, t - lag]} for a row at {@code t}. The lag is at least one microsecond, so a row
 * never sees itself or anything at or after its own time: point-in-time correct by construction.
 *
 * @param partitionBy what forms the group: each a column's name (as declared, compared ignoring case, as Spark
 *     does; it may hold spaces or symbols) or else a SQL expression, e.g. {@code origin_airport.state}
 * @param lookback how far back the window reaches; positive
 * @param function the aggregate
 */
public record WindowAggregate(List<String> partitionBy, Duration lookback, Function function) {
  /** The smallest lag: strictly before the row's own event time, at the event time's precision. */
  public static final Duration STRICTLY_BEFORE = Duration.ofNanos(1000);

  /** Column the windows order by: the event time in epoch microseconds. */
  static final String EVENT_MICROS = "__event_micros";

  public WindowAggregate {
    partitionBy = List.copyOf(partitionBy);
  }

  /**
   * The aggregate of {@code value} over this window, ending {@code lag} before each row's event time.
   *
   * <p>Count, sum and avg are differences of two running totals over frames that start unbounded: up
   * to {@code t - lag}, minus up to just before {@code t - lookback}. Spark updates such frames
   * incrementally, in time linear in the rows; a bounded range frame ({@code rangeBetween(-lookback,
   * -lag)}) instead re-aggregates its whole buffer whenever it slides, which on 3M flights with a
   * busy airport's week (~35k rows) in every frame is ~10^11 steps. Min and max cannot be subtracted
   * and keep the bounded frame. Running totals are exact for integer-valued inputs (counts, 0/1 flags);
   * sums of fractions may differ from a direct sum in the last bits.
   */
  Column over(Column value, Duration lag, List<String> columns) {
    long end = micros(lag.compareTo(STRICTLY_BEFORE) < 0 ? STRICTLY_BEFORE : lag);
    WindowSpec ordered = Window
        .partitionBy(partitionBy.stream().map(g -> group(g, columns)).toArray(Column[]::new))
        .orderBy(functions.col(EVENT_MICROS));
    if (function == Function.MIN || function == Function.MAX) {
      return function.apply(value).over(ordered.rangeBetween(-micros(lookback), -end));
    }
    WindowSpec upToEnd = ordered.rangeBetween(Window.unboundedPreceding(), -end);
    WindowSpec beforeStart = ordered.rangeBetween(Window.unboundedPreceding(), -micros(lookback) - 1);
    Column count = functions.count(value).over(upToEnd).minus(functions.count(value).over(beforeStart));
    if (function == Function.COUNT) {
      return count;
    }
    Column sum = functions.sum(value).over(upToEnd)
        .minus(functions.coalesce(functions.sum(value).over(beforeStart), functions.lit(0.0)));
    Column aggregate = function == Function.SUM ? sum : sum.divide(count);
    return functions.when(count.gt(0), aggregate);
  }

  /** One {@code partition-by} entry over rows with these columns: the column it names, or else its expression. */
  static Column group(String entry, List<String> columns) {
    return columns.stream().filter(entry::equalsIgnoreCase).findFirst().map(ColumnNames::column)
        .orElseGet(() -> functions.expr(entry));
  }

  static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }

  /** The aggregates a window feature may use. */
  public enum Function {
    COUNT, SUM, AVG, MIN, MAX;

    static Function parse(String name) {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    Column apply(Column value) {
      return switch (this) {
        case COUNT -> functions.count(value);
        case SUM -> functions.sum(value);
        case AVG -> functions.avg(value);
        case MIN -> functions.min(value);
        case MAX -> functions.max(value);
      };
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
