package io.mlcycle.features;

import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The Spark columns a feature spec compiles to. {@link FeatureCheck} builds them on an empty frame of
 * silver's schema (analysis only, no job) and {@link FeaturePipeline} on the data: one definition of each.
 */
final class FeatureColumns {
  private static final String LOOKUP_KEY = "__lookup_key";

  private FeatureColumns() {}

  /** Left-joins the table (broadcast: reference tables are small) as a struct column named after the lookup. */
  static Dataset<Row> withLookup(Dataset<Row> rows, Lookup lookup, ReferenceTable table, Dataset<Row> loaded) {
    Column[] fields = table.columns().keySet().stream().map(functions::col).toArray(Column[]::new);
    // One match per key, chosen deterministically, so a duplicated key can never multiply rows.
    Dataset<Row> matches = loaded
        .groupBy(functions.col(table.key()).as(LOOKUP_KEY))
        .agg(functions.min(functions.struct(fields)).as(lookup.name()));
    return rows.join(functions.broadcast(matches),
            functions.expr(lookup.on()).cast(DataTypes.StringType).equalTo(functions.col(LOOKUP_KEY)), "left")
        .drop(LOOKUP_KEY);
  }

  static Dataset<Row> withEventMicros(Dataset<Row> rows, String eventTime) {
    return rows.withColumn(WindowAggregate.EVENT_MICROS,
        functions.unix_micros(functions.col(eventTime).cast(DataTypes.TimestampType)));
  }

  static Column window(FeatureDefinition feature, Duration lag) {
    return withDefault(feature.window().orElseThrow().over(functions.expr(feature.expr()), lag), feature);
  }

  /** A value feature; categories become strings and booleans 0.0/1.0, so models see numbers or strings. */
  static Column value(FeatureDefinition feature, DataType type) {
    Column value = functions.expr(feature.expr());
    if (feature.categorical()) {
      value = value.cast(DataTypes.StringType);
    } else if (type.equals(DataTypes.BooleanType)) {
      value = value.cast(DataTypes.DoubleType);
    }
    return withDefault(value, feature);
  }

  static Column label(Label label, DataType type) {
    Column value = functions.expr(label.expr());
    return type.equals(DataTypes.BooleanType) ? value.cast(DataTypes.DoubleType) : value;
  }

  private static Column withDefault(Column value, FeatureDefinition feature) {
    return feature.defaultValue().map(d -> functions.coalesce(value, functions.lit(d))).orElse(value);
  }
}
