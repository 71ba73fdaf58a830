package io.mlcycle.quality;

import static org.apache.spark.sql.functions.lit;

import io.mlcycle.io.ColumnNames;
import java.util.Optional;
import org.apache.spark.sql.Column;

/** The column's value lies within [min, max] (either bound optional); a null passes (see not-null). */
public record RangeRule(String name, String column, Optional<Double> min, Optional<Double> max, Severity severity)
    implements RowRule {
  @Override
  public String type() {
    return "range";
  }

  @Override
  public Column failure() {
    Column value = ColumnNames.column(column);
    Column below = min.map(m -> value.lt(lit(m))).orElse(lit(false));
    Column above = max.map(m -> value.gt(lit(m))).orElse(lit(false));
    return value.isNotNull().and(below.or(above));
  }

  @Override
  public String describe() {
    return column + " between " + min.map(RangeRule::format).orElse("-inf") + " and "
        + max.map(RangeRule::format).orElse("+inf");
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
