package io.mlcycle.quality;

import static org.apache.spark.sql.functions.count_if;

import io.mlcycle.io.ColumnNames;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/** At most this fraction of the batch's rows may lack a value in the column. */
public record MaxNullFractionRule(String name, String column, double max, Severity severity) implements BatchRule {
  @Override
  public String type() {
    return "max-null-fraction";
  }

  @Override
  public List<Column> metrics(Column counted) {
    return List.of(count_if(counted.and(ColumnNames.column(column).isNull())));
  }

  @Override
  public RuleOutcome evaluate(Row values, int offset, long rows, Instant now) {
    long nulls = values.getLong(offset);
    double fraction = rows == 0 ? 0.0 : (double) nulls / rows;
    return new RuleOutcome(name, type(), severity, nulls, fraction, fraction <= max,
        String.format("%s is null in %d of %d rows (%.4f; at most %s allowed)", column, nulls, rows, fraction, max));
  }
}
