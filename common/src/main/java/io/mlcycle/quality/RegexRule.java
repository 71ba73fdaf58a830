package io.mlcycle.quality;


import io.mlcycle.io.ColumnNames;
import org.apache.spark.sql.Column;

/** The column's text matches a Java regular expression; a null passes (see not-null). */
public record RegexRule(String name, String column, String pattern, Severity severity) implements RowRule {
  @Override
  public String type() {
    return "regex";
  }

  @Override
  public Column failure() {
    Column value = ColumnNames.column(column).cast("string");
    return value.isNotNull().and(value.rlike(pattern).unary_$bang());
  }

  @Override
  public String describe() {
    return column + " matches " + pattern;
  }
}
