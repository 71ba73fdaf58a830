package io.mlcycle.dataset;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Rows whose entity key cannot tell them apart: a null in a key column, or a key another row of the same scope
 * has too. Scoring scores such rows and counts them; monitoring counts them the same way and matches none of
 * them to a label (nor to its features for drift), because a key shared by k predictions and k labels would
 * join k × k times and a null key joins nothing — so monitor never counts more rows than were scored.
 */
public final class KeyIssues {
  private static final String ROWS = "__key_rows";

  private KeyIssues() {}

  /**
   * @param rows the rows counted
   * @param nullKeys rows with a null in a key column
   * @param repeatedKeys rows, of those with a full key, whose key another row of their scope has too
   */
  public record Counts(long rows, long nullKeys, long repeatedKeys) {
    public static final Counts NONE = new Counts(0, 0, 0);

    public long unmatchable() {
      return nullKeys + repeatedKeys;
    }

    /** The warning a job prints, naming the key and the fix; empty when every key is unique and complete. */
    public java.util.Optional<String> warning(List<String> key, String what) {
      if (unmatchable() == 0) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(unmatchable() + " of " + rows + " " + what + " have a null entity key (" + nullKeys
          + ") or one another row shares (" + repeatedKeys + "), key " + key + ": they are scored, but monitor "
          + "matches none of them to a label or to its features. Set pipeline.entity-key to columns that identify one "
          + "row, or leave it empty for a row id (" + DatasetSpec.ROW_ID + ")");
    }
  }

  /** The counts over {@code rows}, a key repeated when two rows of the same {@code within} values share it; one job. */
  public static Counts count(Dataset<Row> rows, List<String> key, List<String> within) {
    List<Column> groups = new ArrayList<>();
    key.forEach(k -> groups.add(ColumnNames.column(k)));
    within.forEach(w -> groups.add(ColumnNames.column(w)));
    Column anyNull = anyNull(key);
    Row counts = rows.groupBy(groups.toArray(Column[]::new)).agg(functions.count(lit(1)).as(ROWS))
        .agg(sum(col(ROWS)), sum(when(anyNull, col(ROWS)).otherwise(0L)),
            sum(when(functions.not(anyNull).and(col(ROWS).gt(1)), col(ROWS)).otherwise(0L)))
        .first();
    return counts.isNullAt(0) ? Counts.NONE : new Counts(counts.getLong(0), counts.getLong(1), counts.getLong(2));
  }

  /**
   * {@code rows} with a column {@code as}: the key as a struct when it is complete and no other row of the same
   * {@code within} values has it, else null — a join on it matches each row at most once, and never on a null key.
   */
  public static Dataset<Row> withMatch(Dataset<Row> rows, List<String> key, List<String> within, String as) {
    List<Column> partition = new ArrayList<>();
    key.forEach(k -> partition.add(ColumnNames.column(k)));
    within.forEach(w -> partition.add(ColumnNames.column(w)));
    Column sharing = functions.count(lit(1)).over(Window.partitionBy(partition.toArray(Column[]::new)));
    Column struct = functions.struct(key.stream().map(k -> ColumnNames.column(k).as(k)).toArray(Column[]::new));
    return rows.withColumn(as, when(functions.not(anyNull(key)).and(sharing.equalTo(1)), struct));
  }

  private static Column anyNull(List<String> key) {
    Column anyNull = lit(false);
    for (String k : key) {
      anyNull = anyNull.or(ColumnNames.column(k).isNull());
    }
    return anyNull;
  }
}
