package io.mlcycle.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.mlcycle.io.ColumnNames;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * No two different rows of the batch share these columns. Exact duplicate rows are removed before the
 * rules run, so this flags conflicting rows (same key, different values) — all of them, since the batch
 * cannot say which one is right. Rows with a null key pass (see not-null).
 */
public record UniqueRule(String name, List<String> columns, Severity severity) implements RowRule {
  /** The hash of the whole row, set by the validator, that tells conflicting rows from duplicates. */
  public static final String ROW_HASH = "_row_hash";

  public UniqueRule {
    columns = List.copyOf(columns);
  }

  @Override
  public String type() {
    return "unique";
  }

  @Override
  public Column failure() {
    Column[] key = columns.stream().map(ColumnNames::column).toArray(Column[]::new);
    Column anyNull = columns.stream().map(c -> ColumnNames.column(c).isNull()).reduce(Column::or).orElseThrow();
    // Two different rows under one key have two different hashes: the key's smallest and largest differ.
    // (Counting a set of hashes per key instead buffers every key's rows as objects.)
    WindowSpec group = Window.partitionBy(key);
    return anyNull.unary_$bang().and(min(col(ROW_HASH)).over(group).notEqual(max(col(ROW_HASH)).over(group)));
  }

  @Override
  public String describe() {
    return String.join(", ", columns) + " unique in the batch";
  }
}
