package io.mlcycle.quality;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.io.ColumnNames;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** The batch's newest event time is no older than {@code maxAge} when it is validated. */
public record FreshnessRule(String name, String eventTime, Duration maxAge, Severity severity) implements BatchRule {
  @Override
  public String type() {
    return "freshness";
  }

  @Override
  public List<Column> metrics(Column counted) {
    return List.of(max(when(counted, ColumnNames.column(eventTime).cast("timestamp"))));
  }

  @Override
  public RuleOutcome evaluate(Row values, int offset, long rows, Instant now) {
    if (values.isNullAt(offset)) {
      return new RuleOutcome(name, type(), severity, 1, null, false, "the batch has no " + eventTime + " value");
    }
    Object value = values.get(offset);
    Instant newest = value instanceof Timestamp t ? t.toInstant() : (Instant) value;
    Duration age = Duration.between(newest, now);
    boolean fresh = age.compareTo(maxAge) <= 0;
    return new RuleOutcome(name, type(), severity, fresh ? 0 : 1, (double) age.toSeconds(), fresh,
        "the newest " + eventTime + " is " + newest + ", " + age.toDays() + " days before validation (at most "
            + maxAge.toDays() + " days allowed)");
  }
}
