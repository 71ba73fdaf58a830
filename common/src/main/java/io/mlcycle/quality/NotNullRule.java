package io.mlcycle.quality;


import io.mlcycle.io.ColumnNames;
import org.apache.spark.sql.Column;

/** The column has a value (empty strings count as missing after normalisation; NaN as well). */
public record NotNullRule(String column, Severity severity) implements RowRule {
  @Override
  public String name() {
    return "not-null(" + column + ")";
  }

  @Override
  public String type() {
    return "not-null";
  }

  @Override
  public Column failure() {
    return ColumnNames.column(column).isNull();
  }

  @Override
  public String describe() {
    return column + " is not null";
  }
}
