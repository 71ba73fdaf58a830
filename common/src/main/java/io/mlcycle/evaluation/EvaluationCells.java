package io.mlcycle.evaluation;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Reduces scored holdout rows to {@link Cell}s in one Spark job. The input has the label {@code _y}, the
 * candidate's output {@code _p}, the champion's {@code _q} (null without a champion), a row hash
 * {@code _h} and the slice columns. Per task:
 * <ul>
 *   <li>binary: {@code a}/{@code b} are bins of the log-odds of {@code _p}/{@code _q}, {@value #BIN_WIDTH}
 *       wide and anchored at each model's threshold (bin ≥ 0 exactly when the probability reaches it);
 *       sums are Σp, Σ log loss, Σ squared error for the candidate, then the same for the champion;</li>
 *   <li>multiclass: {@code a}/{@code b} are the predicted classes, exact; no sums;</li>
 *   <li>regression: {@code a} is one of {@value #BUCKETS} random buckets of rows (by {@code _h}); sums are
 *       Σe², Σ|e| of the candidate and of the champion, Σy and Σy².</li>
 * </ul>
 */
public final class EvaluationCells {
  public static final String LABEL = "_y";
  public static final String CANDIDATE = "_p";
  public static final String CHAMPION = "_q";
  public static final String ROW_HASH = "_h";
  public static final String ALL = "all";
  static final double BIN_WIDTH = 0.02;
  static final int HALF_BINS = 1500;
  static final int BUCKETS = 512;
  static final int SUMS = 6;
  private static final double EPSILON = 1e-15;

  private EvaluationCells() {}

  /** The scope name of one slice value. */
  public static String slice(String column, String value) {
    return "slice:" + column + "=" + value;
  }

  public static List<Cell> of(Dataset<Row> scored, TrainingSpec.Task task, double candidateThreshold,
                              double championThreshold, List<String> slices) {
    List<Dataset<Row>> scopes = new ArrayList<>();
    scopes.add(scope(scored, lit(ALL), task, candidateThreshold, championThreshold, true));
    for (String column : slices) {
      Column name = concat(lit("slice:" + column + "="), coalesce(col(column).cast("string"), lit("null")));
      scopes.add(scope(scored, name, task, candidateThreshold, championThreshold, false));
    }
    Dataset<Row> all = scopes.stream().reduce(Dataset::unionAll).orElseThrow();
    Column[] sums = new Column[SUMS];
    for (int s = 0; s < SUMS; s++) {
      sums[s] = sum("s" + s);
    }
    List<Cell> cells = new ArrayList<>();
    for (Row row : all.groupBy("scope", "a", "b", "y").agg(count(lit(1)), sums).collectAsList()) {
      double[] values = new double[SUMS];
      for (int s = 0; s < SUMS; s++) {
        values[s] = row.isNullAt(5 + s) ? 0 : row.getDouble(5 + s);
      }
      cells.add(new Cell(row.getString(0), row.getInt(1), row.getInt(2), row.getInt(3), row.getLong(4), values));
    }
    return cells;
  }

  private static Dataset<Row> scope(Dataset<Row> scored, Column name, TrainingSpec.Task task, double tp, double tq,
                                    boolean paired) {
    Column p = col(CANDIDATE);
    Column q = col(CHAMPION);
    Column y = col(LABEL);
    Column zero = lit(0.0);
    List<Column> columns = new ArrayList<>(List.of(name.as("scope")));
    switch (task) {
      case BINARY -> {
        columns.add(bin(p, tp).as("a"));
        columns.add((paired ? coalesce(bin(q, tq), lit(0)) : lit(0)).as("b"));
        columns.add(y.cast("int").as("y"));
        columns.add(p.as("s0"));
        columns.add(logLoss(p, y).as("s1"));
        columns.add(pow(p.minus(y), 2).as("s2"));
        columns.add((paired ? q : zero).as("s3"));
        columns.add((paired ? logLoss(q, y) : zero).as("s4"));
        columns.add((paired ? pow(q.minus(y), 2) : zero).as("s5"));
      }
      case MULTICLASS -> {
        columns.add(p.cast("int").as("a"));
        columns.add((paired ? coalesce(q.cast("int"), lit(0)) : lit(0)).as("b"));
        columns.add(y.cast("int").as("y"));
        for (int s = 0; s < SUMS; s++) {
          columns.add(zero.as("s" + s));
        }
      }
      case REGRESSION -> {
        columns.add(pmod(col(ROW_HASH), lit(BUCKETS)).cast("int").as("a"));
        columns.add(lit(0).as("b"));
        columns.add(lit(0).as("y"));
        columns.add(pow(p.minus(y), 2).as("s0"));
        columns.add(abs(p.minus(y)).as("s1"));
        columns.add((paired ? pow(q.minus(y), 2) : zero).as("s2"));
        columns.add((paired ? abs(q.minus(y)) : zero).as("s3"));
        columns.add(y.as("s4"));
        columns.add(pow(y, 2).as("s5"));
      }
    }
    return scored.select(columns.toArray(Column[]::new));
  }

  /** The log-odds bin of a probability, relative to the threshold's log-odds. */
  static Column bin(Column probability, double threshold) {
    Column clamped = least(greatest(probability, lit(EPSILON)), lit(1 - EPSILON));
    Column margin = log(clamped.divide(lit(1).minus(clamped))).minus(lit(Math.log(threshold / (1 - threshold))));
    return least(greatest(floor(margin.divide(lit(BIN_WIDTH))), lit(-HALF_BINS)), lit(HALF_BINS - 1)).cast("int");
  }

  private static Column logLoss(Column probability, Column y) {
    Column clamped = least(greatest(probability, lit(EPSILON)), lit(1 - EPSILON));
    return when(y.gt(0.5), log(clamped).multiply(-1)).otherwise(log(lit(1).minus(clamped)).multiply(-1));
  }
}
