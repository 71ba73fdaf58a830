package io.mlcycle.dataset;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.StringType;

/** One declared column of a dataset: its name, Spark type, and whether it holds personal data. */
public record DeclaredColumn(String name, DataType type, boolean pii) implements java.io.Serializable {
  public boolean isString() {
    return type instanceof StringType;
  }

  public boolean isFloating() {
    return type instanceof DoubleType || type instanceof FloatType;
  }

  public boolean isNumeric() {
    return type instanceof org.apache.spark.sql.types.NumericType;
  }

  public boolean isTimestamp() {
    return type.equals(DataTypes.TimestampType) || type.equals(DataTypes.DateType);
  }
}
