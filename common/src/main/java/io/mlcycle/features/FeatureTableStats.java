package io.mlcycle.features;

import io.mlcycle.io.DeltaTables;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What a user checks first about a feature table: its Delta version, columns with types, row count and
 * the share of nulls in each column, from one aggregation.
 *
 * @param nullShares per column, the share of rows where it is null
 */
public record FeatureTableStats(String path, long tableVersion, long rows, Map<String, String> types,
                                Map<String, Double> nullShares) {

  public static FeatureTableStats of(SparkSession spark, String path) {
    long version = DeltaTables.version(spark, path);
    Dataset<Row> table = spark.read().format("delta").option("versionAsOf", version).load(path);
    List<Column> nulls = new ArrayList<>();
    for (String column : table.columns()) {
      nulls.add(functions.count_if(functions.col(column).isNull()));
    }
    Row row = table.agg(functions.count(functions.lit(1)), nulls.toArray(Column[]::new)).first();
    long rows = row.getLong(0);
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, Double> shares = new LinkedHashMap<>();
    String[] columns = table.columns();
    for (int i = 0; i < columns.length; i++) {
      types.put(columns[i], table.schema().apply(columns[i]).dataType().simpleString());
      shares.put(columns[i], rows == 0 ? 0.0 : (double) row.getLong(i + 1) / rows);
    }
    return new FeatureTableStats(path, version, rows, types, shares);
  }

  /** A small table for the terminal: one line per column with its type and null share. */
  public void print(PrintStream out) {
    out.printf("%s: table version %d, %,d rows, %d columns%n", path, tableVersion, rows, types.size());
    out.printf("  %-28s %-14s %s%n", "column", "type", "null share");
    types.forEach((column, type) -> out.printf("  %-28s %-14s %6.2f%%%n", column, type, 100 * nullShares.get(column)));
  }
}
