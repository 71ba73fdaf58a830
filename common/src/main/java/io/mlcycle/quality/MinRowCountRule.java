package io.mlcycle.quality;

import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** The batch has at least this many distinct rows. */
public record MinRowCountRule(String name, long min, Severity severity) implements BatchRule {
  @Override
  public String type() {
    return "min-row-count";
  }

  @Override
  public List<Column> metrics(Column counted) {
    return List.of();
  }

  @Override
  public RuleOutcome evaluate(Row values, int offset, long rows, Instant now) {
    return new RuleOutcome(name, type(), severity, rows >= min ? 0 : 1, (double) rows, rows >= min,
        "the batch has " + rows + " distinct rows (at least " + min + " required)");
  }
}
