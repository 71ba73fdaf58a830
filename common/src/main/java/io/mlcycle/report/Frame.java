package io.mlcycle.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * A small table collected to the driver for a report: named columns and rows of plain Java values
 * (strings, numbers, booleans, timestamps, lists). Report tables are small (a row per batch, rule, fold
 * or bin), so sections work on these instead of on Spark.
 */
public record Frame(List<String> columns, List<Map<String, Object>> rows) {

  /** Collects {@code rows}; arrays become lists. */
  public static Frame of(Dataset<Row> rows) {
    StructField[] fields = rows.schema().fields();
    List<String> columns = new ArrayList<>();
    for (StructField field : fields) {
      columns.add(field.name());
    }
    List<Map<String, Object>> collected = new ArrayList<>();
    for (Row row : rows.collectAsList()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = 0; i < fields.length; i++) {
        Object value = row.isNullAt(i) ? null
            : fields[i].dataType() instanceof ArrayType ? List.copyOf(row.getList(i)) : row.get(i);
        values.put(fields[i].name(), value);
      }
      collected.add(values);
    }
    return new Frame(List.copyOf(columns), List.copyOf(collected));
  }

  /** A frame built in Java, e.g. a pivot of another one; each row lists its values in column order. */
  public static Frame of(List<String> columns, List<List<Object>> rows) {
    List<Map<String, Object>> maps = new ArrayList<>();
    for (List<Object> row : rows) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        values.put(columns.get(i), row.get(i));
      }
      maps.add(values);
    }
    return new Frame(List.copyOf(columns), maps);
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public Frame where(Predicate<Map<String, Object>> keep) {
    return new Frame(columns, rows.stream().filter(keep).toList());
  }

  /** The rows whose {@code column} equals {@code value}. */
  public Frame where(String column, Object value) {
    return where(row -> value.equals(row.get(column)));
  }

  /** The distinct values of a column, in order of first appearance. */
  public List<String> distinct(String column) {
    Set<String> values = new LinkedHashSet<>();
    for (Map<String, Object> row : rows) {
      values.add(text(row, column));
    }
    return List.copyOf(values);
  }

  public Frame select(String... names) {
    List<List<Object>> kept = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      List<Object> values = new ArrayList<>();
      for (String name : names) {
        values.add(row.get(name));
      }
      kept.add(values);
    }
    return of(List.of(names), kept);
  }

  public static String text(Map<String, Object> row, String column) {
    Object value = row.get(column);
    return value == null ? "" : value.toString();
  }

  /** A numeric cell as a double; NaN when it is null. */
  public static double number(Map<String, Object> row, String column) {
    Object value = row.get(column);
    return value == null ? Double.NaN : ((Number) value).doubleValue();
  }
}
