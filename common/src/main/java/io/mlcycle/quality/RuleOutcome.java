package io.mlcycle.quality;

/**
 * The result of one rule (or one ingest check) on one batch: one row of {@code _mlcycle/quality}.
 *
 * @param rule the rule's name, e.g. {@code range(delay)}
 * @param type the rule type, e.g. {@code range}
 * @param severity error, warn or drop
 * @param failedRows rows that failed (for batch-level rules, 0 or 1 "batch")
 * @param metric the measured value where there is one (null fraction, row count, age in seconds), else null
 * @param passed whether the rule held
 * @param message what was measured, naming columns and thresholds, never row values
 */
public record RuleOutcome(String rule, String type, Severity severity, long failedRows, Double metric,
                          boolean passed, String message) {
  /** "passed", "warned", "dropped" or "failed": what the rule did to this batch. */
  public String status() {
    if (passed) {
      return "passed";
    }
    return switch (severity) {
      case ERROR -> "failed";
      case WARN -> "warned";
      case DROP -> "dropped";
    };
  }
}
