package io.mlcycle.features;

import io.mlcycle.io.ColumnNames;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * The Spark columns a feature spec compiles to. {@link FeatureCheck} builds them on an empty frame of
 * silver's schema (analysis only, no job) and {@link FeaturePipeline} on the data: one definition of each.
 */
final class FeatureColumns {
  private static final String LOOKUP_KEY = "__lookup_key";
  private static final String LOOKUP_VALUE = "__lookup_value";

  private FeatureColumns() {}

  /** Left-joins the table (broadcast: reference tables are small) as a struct column named after the lookup. */
  static Dataset<Row> withLookup(Dataset<Row> rows, Lookup lookup, ReferenceTable table, Dataset<Row> loaded) {
    Column[] fields = table.columns().keySet().stream().map(ColumnNames::column).toArray(Column[]::new);
    // One match per key, chosen deterministically, so a duplicated key can never multiply rows. Named
    // alike for every lookup of a table, so Spark reuses one broadcast for all of them.
    Dataset<Row> matches = loaded
        .groupBy(ColumnNames.column(table.key()).as(LOOKUP_KEY))
        .agg(functions.min(functions.struct(fields)).as(LOOKUP_VALUE));
    return rows.join(functions.broadcast(matches),
            functions.expr(lookup.on()).cast(DataTypes.StringType).equalTo(functions.col(LOOKUP_KEY)), "left")
        .drop(LOOKUP_KEY)
        .withColumnRenamed(LOOKUP_VALUE, lookup.name());
  }

  static Dataset<Row> withEventMicros(Dataset<Row> rows, String eventTime) {
    return rows.withColumn(WindowAggregate.EVENT_MICROS,
        functions.unix_micros(ColumnNames.column(eventTime).cast(DataTypes.TimestampType)));
  }

  /**
   * A window feature over {@code expr} (of type {@code type}), on rows with {@code columns}. Numbers are aggregated as doubles: booleans
   * count as 0.0/1.0, and a decimal literal such as 1.0 does not round the average to a decimal's scale.
   */
  static Column window(FeatureDefinition feature, Duration lag, DataType type, List<String> columns) {
    Column value = functions.expr(feature.expr());
    if (type instanceof NumericType || type.equals(DataTypes.BooleanType)) {
      value = value.cast(DataTypes.DoubleType);
    }
    return stored(feature.window().orElseThrow().over(value, lag, columns), feature);
  }

  /** A value feature. */
  static Column value(FeatureDefinition feature) {
    return stored(functions.expr(feature.expr()), feature);
  }

  /**
   * As the feature table stores it: categories as strings, everything else as double (booleans 0.0/1.0,
   * decimals from literals such as 1.0), so models see numbers or strings and nothing else.
   */
  private static Column stored(Column value, FeatureDefinition feature) {
    DataType type = feature.categorical() ? DataTypes.StringType : DataTypes.DoubleType;
    Column typed = value.cast(type);
    return feature.defaultValue().map(d -> functions.coalesce(typed, functions.lit(d).cast(type))).orElse(typed);
  }

  static Column label(Label label, DataType type) {
    Column value = functions.expr(label.expr());
    return type.equals(DataTypes.BooleanType) ? value.cast(DataTypes.DoubleType) : value;
  }
}
