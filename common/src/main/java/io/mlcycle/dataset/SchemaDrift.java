package io.mlcycle.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How a batch's columns differ from the expected ones: added, missing, and retyped (name → "old → new").
 * Column names compare case-insensitively, as Spark resolves them.
 */
public record SchemaDrift(List<String> added, List<String> missing, Map<String, String> retyped) {
  public SchemaDrift {
    added = List.copyOf(added);
    missing = List.copyOf(missing);
    retyped = Map.copyOf(retyped);
  }

  /** Compares {@code actual} with {@code expected}. */
  public static SchemaDrift between(StructType expected, StructType actual) {
    Map<String, DataType> want = types(expected);
    Map<String, DataType> got = types(actual);
    List<String> added = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Map<String, String> retyped = new TreeMap<>();
    for (StructField field : actual.fields()) {
      if (!want.containsKey(field.name().toLowerCase())) {
        added.add(field.name());
      }
    }
    for (StructField field : expected.fields()) {
      DataType actualType = got.get(field.name().toLowerCase());
      if (!got.containsKey(field.name().toLowerCase())) {
        missing.add(field.name());
      } else if (!actualType.sameType(field.dataType())) {
        retyped.put(field.name(), field.dataType().simpleString() + " -> " + actualType.simpleString());
      }
    }
    return new SchemaDrift(added, missing, retyped);
  }

  private static Map<String, DataType> types(StructType schema) {
    Map<String, DataType> map = new java.util.HashMap<>();
    for (StructField field : schema.fields()) {
      map.put(field.name().toLowerCase(), field.dataType());
    }
    return map;
  }

  public boolean none() {
    return added.isEmpty() && missing.isEmpty() && retyped.isEmpty();
  }

  /** "added [x], missing [y], retyped {z=int -> string}", naming only what differs. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!added.isEmpty()) {
      parts.add("added " + added);
    }
    if (!missing.isEmpty()) {
      parts.add("missing " + missing);
    }
    if (!retyped.isEmpty()) {
      parts.add("retyped " + retyped);
    }
    return parts.isEmpty() ? "no drift" : String.join(", ", parts);
  }
}
