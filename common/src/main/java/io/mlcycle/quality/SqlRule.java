package io.mlcycle.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;

/** A free Spark SQL boolean expression each row must satisfy; a null result fails. */
public record SqlRule(String name, String expression, Severity severity) implements RowRule {
  @Override
  public String type() {
    return "sql";
  }

  @Override
  public Column failure() {
    return coalesce(expr(expression), lit(false)).unary_$bang();
  }

  @Override
  public String describe() {
    return expression;
  }
}
