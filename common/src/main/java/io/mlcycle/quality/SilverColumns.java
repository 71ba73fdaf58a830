package io.mlcycle.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;

import io.mlcycle.dataset.BatchKey;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.io.DeltaTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a validated batch has in silver (declared columns, pii hashed or dropped, kept extra columns,
 * batch and source file), in its quarantine rows' raw JSON, and in its profile.
 */
final class SilverColumns {
  private static final Set<String> SILVER_META = Set.of("_batch_id", "_source_file", DatasetSpec.ROW_ID);

  private final DatasetSpec spec;
  private final PiiProtection pii;

  SilverColumns(DatasetSpec spec, PiiProtection pii) {
    this.spec = spec;
    this.pii = pii;
  }

  StructType expectedSilverSchema(List<String> extras) {
    List<StructField> fields = new ArrayList<>();
    for (DeclaredColumn column : spec.columns()) {
      pii.silverColumn(column).ifPresent(c -> fields.add(DataTypes.createStructField(column.name(),
          column.pii() ? DataTypes.StringType : column.type(), true)));
    }
    extras.forEach(e -> fields.add(DataTypes.createStructField(e, DataTypes.StringType, true)));
    return DataTypes.createStructType(fields);
  }

  static StructType withoutMeta(StructType schema) {
    return DataTypes.createStructType(List.of(schema.fields()).stream()
        .filter(f -> !SILVER_META.contains(f.name())).toList());
  }

  Map<String, String> silverOptions(List<String> extras) {
    List<String> stats = new ArrayList<>(List.of("_batch_id"));
    spec.eventTime().flatMap(spec::column).filter(c -> !c.pii()).ifPresent(c -> stats.add(c.name()));
    return DeltaTables.appendOptions(stats, !extras.isEmpty());
  }

  List<DeclaredColumn> profiledColumns(List<String> extras) {
    List<DeclaredColumn> columns = new ArrayList<>(spec.columns());
    extras.forEach(e -> columns.add(new DeclaredColumn(e, DataTypes.StringType, false)));
    return columns;
  }

  Column[] rawColumns(List<String> extras) {
    List<Column> columns = new ArrayList<>();
    spec.columns().stream().filter(c -> !c.pii()).forEach(c -> columns.add(ColumnNames.column(c.name())));
    extras.forEach(e -> columns.add(ColumnNames.column(e)));
    return columns.toArray(Column[]::new);
  }

  Dataset<Row> silverRows(Dataset<Row> rows, BatchKey key, List<String> extras) {
    List<Column> columns = new ArrayList<>();
    spec.columns().forEach(c -> pii.silverColumn(c).ifPresent(columns::add));
    extras.forEach(e -> columns.add(ColumnNames.column(e)));
    columns.add(lit(key.batchId()).as("_batch_id"));
    columns.add(col("_source_file"));
    Dataset<Row> silver = rows.select(columns.toArray(Column[]::new));
    return spec.entityKey().isEmpty() ? silver.withColumn(DatasetSpec.ROW_ID, rowId(silver)) : silver;
  }

  /**
   * {@value DatasetSpec#ROW_ID}: the first 128 bits of a SHA-256 over the batch id and every declared column
   * as silver stores it (typed and trimmed; a pii column hashed, or left out when dropped), in hex. JSON keeps
   * each value in its place, so a null never shifts one value into another's column as a plain hash of the
   * values would.
   */
  private Column rowId(Dataset<Row> silver) {
    List<Column> values = new ArrayList<>(List.of(col("_batch_id")));
    List<String> present = List.of(silver.columns());
    spec.columnNames().stream().filter(present::contains).forEach(c -> values.add(ColumnNames.column(c)));
    return substring(sha2(to_json(struct(values.toArray(Column[]::new))), 256), 1, 32).as(DatasetSpec.ROW_ID);
  }
}
