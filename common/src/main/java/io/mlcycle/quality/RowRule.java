package io.mlcycle.quality;

import org.apache.spark.sql.Column;

/**
 * A rule each row passes or fails (not null, range, allowed values, regex, unique, SQL). Its failures are
 * counted in the batch's one aggregation; with severity {@code drop} the failing rows go to quarantine.
 */
public interface RowRule {
  /** The name in reports and quarantine reasons, e.g. {@code range(delay)}; it never holds row values. */
  String name();

  String type();

  Severity severity();

  /** True for a failing row; never null. May use a window over the batch (unique). */
  Column failure();

  /** The rule's condition in words, for the report, e.g. "delay between -120 and 1500". */
  String describe();

  default RuleOutcome outcome(long failedRows, long rows) {
    return new RuleOutcome(name(), type(), severity(), failedRows,
        rows == 0 ? null : (double) failedRows / rows, failedRows == 0,
        failedRows + " of " + rows + " rows failed: " + describe());
  }
}
