package io.mlcycle.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The columns a bronze batch's rows carry through validation: normalised values, the duplicate flag, one
 * failure flag per row rule and per dropping value handling, and the drop flag; the quarantine's reasons
 * are built from the flags of the quarantined rows only.
 */
final class RowAnnotation {
  static final String DUPLICATE = "_duplicate";
  static final String DROPPED = "_dropped";
  private static final String HANDLING = "_handling_reasons";

  private final DatasetSpec spec;
  private final RuleSet rules;
  private final List<ValueHandling> handling;

  RowAnnotation(DatasetSpec spec, RuleSet rules, List<ValueHandling> handling) {
    this.spec = spec;
    this.rules = rules;
    this.handling = List.copyOf(handling);
  }

  /** Strings trimmed, empty strings → null. */
  Dataset<Row> normalise(Dataset<Row> bronze, List<String> extras) {
    List<Column> columns = new ArrayList<>();
    for (DeclaredColumn column : spec.columns()) {
      columns.add(column.isString() ? blankToNull(column.name()) : ColumnNames.column(column.name()));
    }
    extras.forEach(e -> columns.add(blankToNull(e)));
    columns.add(col("_source_file"));
    return bronze.select(columns.toArray(Column[]::new));
  }

  private static Column blankToNull(String name) {
    Column trimmed = trim(ColumnNames.column(name));
    return when(trimmed.equalTo(""), lit(null).cast("string")).otherwise(trimmed).as(name);
  }

  /** Adds the duplicate flag, one failure flag per row rule, the reasons array and the drop flag. */
  Dataset<Row> annotate(Dataset<Row> normalised, List<String> extras) {
    Dataset<Row> handled = ValueHandling.apply(normalised, handling, HANDLING);
    List<Column> values = new ArrayList<>();
    spec.columnNames().forEach(c -> values.add(ColumnNames.column(c)));
    extras.forEach(e -> values.add(ColumnNames.column(e)));
    Dataset<Row> hashed = shuffledOnce(handled.withColumn(UniqueRule.ROW_HASH, xxhash64(values.toArray(Column[]::new))));
    List<Column> dedupKey = new ArrayList<>(spec.dedupKey().stream().map(ColumnNames::column).toList());
    dedupKey.add(col(UniqueRule.ROW_HASH));
    Dataset<Row> flagged = hashed.withColumn(DUPLICATE, row_number()
        .over(Window.partitionBy(dedupKey.toArray(Column[]::new)).orderBy(col("_source_file"))).gt(1));
    List<Column> selection = new ArrayList<>(List.of(col("*")));
    for (int i = 0; i < rules.rowRules().size(); i++) {
      selection.add(when(col(DUPLICATE), lit(false)).otherwise(rules.rowRules().get(i).failure()).as(flag(i)));
    }
    // Booleans, not arrays, reach the cache: Spark's in-memory columns store arrays row by row, slowly.
    List<String> handlingReasons = handlingReasons();
    for (int i = 0; i < handlingReasons.size(); i++) {
      selection.add(org.apache.spark.sql.functions.array_contains(col(HANDLING), handlingReasons.get(i)).as(handled(i)));
    }
    Dataset<Row> withFlags = flagged.select(selection.toArray(Column[]::new)).drop(HANDLING, UniqueRule.ROW_HASH);
    Column dropped = lit(false);
    for (int i = 0; i < handlingReasons.size(); i++) {
      dropped = dropped.or(col(handled(i)));
    }
    for (int i = 0; i < rules.rowRules().size(); i++) {
      if (rules.rowRules().get(i).severity() == Severity.DROP) {
        dropped = dropped.or(col(flag(i)));
      }
    }
    return withFlags.withColumn(DROPPED, col(DUPLICATE).unary_$bang().and(dropped));
  }

  /**
   * The rows hash-partitioned by the columns the de-duplication key shares with every unique rule's, when
   * there are unique rules and such columns: each window then finds its groups within a partition, so
   * one shuffle serves them all instead of one each.
   */
  private Dataset<Row> shuffledOnce(Dataset<Row> rows) {
    List<UniqueRule> unique = rules.rowRules().stream().filter(UniqueRule.class::isInstance).map(UniqueRule.class::cast)
        .toList();
    List<String> shared = spec.dedupKey().stream().filter(c -> unique.stream().allMatch(u -> u.columns().contains(c)))
        .toList();
    return unique.isEmpty() || shared.isEmpty() ? rows
        : rows.repartition(shared.stream().map(ColumnNames::column).toArray(Column[]::new));
  }

  /** Every check a row failed, from its flags: computed for the quarantined rows only. */
  Column reasons() {
    List<Column> reasons = new ArrayList<>();
    List<String> handlingReasons = handlingReasons();
    for (int i = 0; i < handlingReasons.size(); i++) {
      reasons.add(when(col(handled(i)), lit(handlingReasons.get(i))));
    }
    for (int i = 0; i < rules.rowRules().size(); i++) {
      reasons.add(when(col(flag(i)), lit(rules.rowRules().get(i).name())));
    }
    return QuarantineReasons.compact(reasons);
  }

  static String flag(int i) {
    return "_failed_" + i;
  }

  static String handled(int i) {
    return "_handled_" + i;
  }

  List<String> handlingReasons() {
    List<String> reasons = new ArrayList<>();
    for (ValueHandling h : handling) {
      if (h.missing().equals("drop")) {
        reasons.add("missing(" + h.column().name() + ")");
      }
      if (h.outliers().equals("drop")) {
        reasons.add("outlier(" + h.column().name() + ")");
      }
    }
    return reasons;
  }
}
