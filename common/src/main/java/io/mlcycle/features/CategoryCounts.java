package io.mlcycle.features;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * How often each category of each categorical feature occurs: one aggregation for all features at
 * once. Freezes the kept categories and gives the categorical reference histograms.
 *
 * @param rows the number of rows counted
 * @param counts per feature, the count of each non-null category
 */
public record CategoryCounts(long rows, Map<String, Map<String, Long>> counts) {

  /** Counts in one Spark job: every (feature, value) pair exploded, then grouped. */
  public static CategoryCounts of(Dataset<Row> features, List<String> categorical, long rows) {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    categorical.forEach(feature -> counts.put(feature, new LinkedHashMap<>()));
    if (categorical.isEmpty()) {
      return new CategoryCounts(rows, counts);
    }
    Column[] pairs = categorical.stream()
        .map(f -> functions.struct(functions.lit(f).as("feature"), functions.col(f).as("value")))
        .toArray(Column[]::new);
    List<Row> grouped = features
        .select(functions.explode(functions.array(pairs)).as("pair"))
        .where(functions.col("pair.value").isNotNull())
        .groupBy(functions.col("pair.feature"), functions.col("pair.value"))
        .count()
        .collectAsList();
    for (Row row : grouped) {
      counts.get(row.getString(0)).put(row.getString(1), row.getLong(2));
    }
    return new CategoryCounts(rows, counts);
  }
}
