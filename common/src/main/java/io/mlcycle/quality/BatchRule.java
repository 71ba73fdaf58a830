package io.mlcycle.quality;

import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * A rule on the batch as a whole (max null fraction, min row count, freshness): it contributes aggregate
 * columns to the batch's one aggregation and judges their values. Severity is error or warn.
 */
public interface BatchRule {
  String name();

  String type();

  Severity severity();

  /**
   * The aggregates it needs over the batch's distinct rows.
   *
   * @param counted true for the rows the rule looks at (the batch without duplicates)
   */
  List<Column> metrics(Column counted);

  /** Judges the batch from its metrics, found at {@code offset} in {@code values}. */
  RuleOutcome evaluate(Row values, int offset, long rows, Instant now);
}
