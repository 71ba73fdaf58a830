package io.mlcycle.io;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A user's column names as SQL and Delta must see them. A declared column may be named as a spreadsheet
 * names it ({@code Unit Price ($)}, {@code order time}): every name mlcycle puts into a SQL string, a
 * {@link functions#col} or a Delta table property is quoted here, and a table created with such a name gets
 * Delta's column mapping, without which Delta refuses the characters Parquet cannot store.
 */
public final class ColumnNames {
  /** The characters Delta refuses in a column name unless the table maps its columns by name. */
  private static final String PARQUET_INVALID = " ,;{}()\n\t=";

  private ColumnNames() {}

  /** The name as a SQL identifier: in backticks, an embedded backtick doubled. */
  public static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** The column named exactly {@code name}, never parsed as a nested field ({@code col("a.b")} would be). */
  public static Column column(String name) {
    return functions.col(quoted(name));
  }

  /** The names as Delta's comma-separated column lists read them (e.g. {@code delta.dataSkippingStatsColumns}). */
  public static String quotedList(List<String> names) {
    return names.stream().map(ColumnNames::quoted).collect(Collectors.joining(","));
  }

  /**
   * The entity key and then the event time, which is left out when the key already holds it (compared
   * ignoring case, as Spark resolves names): daily data is often keyed by its date, and a table must not
   * get the column twice.
   */
  public static List<String> keyAndEventTime(List<String> entityKey, String eventTime) {
    List<String> columns = new ArrayList<>(entityKey);
    if (entityKey.stream().noneMatch(eventTime::equalsIgnoreCase)) {
      columns.add(eventTime);
    }
    return columns;
  }

  /** {@link #keyAndEventTime(List, String)}, or the key alone for a dataset without an event time. */
  public static List<String> keyAndEventTime(List<String> entityKey, java.util.Optional<String> eventTime) {
    return eventTime.map(t -> keyAndEventTime(entityKey, t)).orElse(List.copyOf(entityKey));
  }

  /** Whether a table of this schema needs Delta column mapping: a name, nested ones included, that Parquet cannot store. */
  public static boolean needColumnMapping(StructType schema) {
    for (StructField field : schema.fields()) {
      if (field.name().chars().anyMatch(c -> PARQUET_INVALID.indexOf(c) >= 0) || needColumnMapping(field.dataType())) {
        return true;
      }
    }
    return false;
  }

  private static boolean needColumnMapping(DataType type) {
    if (type instanceof StructType struct) {
      return needColumnMapping(struct);
    }
    if (type instanceof ArrayType array) {
      return needColumnMapping(array.elementType());
    }
    if (type instanceof MapType map) {
      return needColumnMapping(map.keyType()) || needColumnMapping(map.valueType());
    }
    return false;
  }
}
