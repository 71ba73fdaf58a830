package io.mlcycle.quality;


import io.mlcycle.io.ColumnNames;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The column's value is one of a set: listed in config, or read from a column of a reference CSV (such as
 * airport codes). A null passes (see not-null).
 */
public record AllowedValuesRule(String name, String column, List<String> values, String source, Severity severity)
    implements RowRule {
  public AllowedValuesRule {
    values = List.copyOf(values);
  }

  @Override
  public String type() {
    return "allowed";
  }

  @Override
  public Column failure() {
    Column value = ColumnNames.column(column).cast("string");
    return value.isNotNull().and(value.isin(values.toArray()).unary_$bang());
  }

  @Override
  public String describe() {
    return column + " is one of the " + values.size() + " values of " + source;
  }
}
