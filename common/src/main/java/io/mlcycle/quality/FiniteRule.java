package io.mlcycle.quality;

import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;

import io.mlcycle.io.ColumnNames;
import org.apache.spark.sql.Column;

/**
 * A floating-point column holds a finite number, not NaN or ±Infinity (which CSV and JSON readers accept
 * as numbers). Added by the validator for every declared double or float column, severity drop.
 */
public record FiniteRule(String column) implements RowRule {
  @Override
  public String name() {
    return "finite(" + column + ")";
  }

  @Override
  public String type() {
    return "finite";
  }

  @Override
  public Severity severity() {
    return Severity.DROP;
  }

  @Override
  public Column failure() {
    Column value = ColumnNames.column(column);
    return value.isNotNull().and(isnan(value).or(value.equalTo(lit(Double.POSITIVE_INFINITY)))
        .or(value.equalTo(lit(Double.NEGATIVE_INFINITY))));
  }

  @Override
  public String describe() {
    return column + " is a finite number";
  }
}
