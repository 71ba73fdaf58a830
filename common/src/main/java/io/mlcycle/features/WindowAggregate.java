package io.mlcycle.features;

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
 * @param partitionBy SQL expressions that form the group
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

  /** The aggregate of {@code value} over this window, ending {@code lag} before each row's event time. */
  Column over(Column value, Duration lag) {
    Duration end = lag.compareTo(STRICTLY_BEFORE) < 0 ? STRICTLY_BEFORE : lag;
    WindowSpec spec = Window
        .partitionBy(partitionBy.stream().map(functions::expr).toArray(Column[]::new))
        .orderBy(functions.col(EVENT_MICROS))
        .rangeBetween(-micros(lookback), -micros(end));
    return function.apply(value).over(spec);
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
