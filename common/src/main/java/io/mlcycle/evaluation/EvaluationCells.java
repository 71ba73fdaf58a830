package io.mlcycle.evaluation;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.ClassCounts;
import io.mlcycle.metrics.RankingAreas;
import io.mlcycle.metrics.Task;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Reduces scored holdout rows to {@link Cell}s in one Spark job. The input has the label {@code _y}, the
 * candidate's output {@code _p}, the champion's {@code _q} (null without a champion), a row hash
 * {@code _h} and the slice columns. Per task:
 * <ul>
 *   <li>binary: {@code a}/{@code b} are the score bin of {@code _p}/{@code _q} on the grid of
 *       {@link RankingAreas} (the one every ROC and PR area is computed on) and whether the probability
 *       reaches the model's threshold, packed as {@code 2·bin + reaches} ({@link #binaryKey}); sums are Σp,
 *       Σ log loss, Σ squared error for the candidate, then the same for the champion;</li>
 *   <li>multiclass: {@code a}/{@code b} are the predicted classes, exact; sums are the candidate's Σ log loss
 *       (from {@code _lp}, the probability it gave the label's class; null when it has no such class) and the
 *       champion's (from {@code _lq}), then how many rows each has a log loss for;</li>
 *   <li>regression: {@code a} is one of {@value #BUCKETS} random buckets of rows (by {@code _h}); sums are
 *       Σe², Σ|e| of the candidate and of the champion, Σy and Σy².</li>
 * </ul>
 */
public final class EvaluationCells {
  public static final String LABEL = "_y";
  public static final String CANDIDATE = "_p";
  public static final String CHAMPION = "_q";
  public static final String ROW_HASH = "_h";
  /** Multiclass: the probability the candidate gave the row's label's class; null when the class is not its own. */
  public static final String CANDIDATE_TRUE_CLASS = "_lp";
  /** Multiclass: the same for the champion, looked up by class name in its own classes. */
  public static final String CHAMPION_TRUE_CLASS = "_lq";
  public static final String ALL = "all";
  static final int BUCKETS = 512;
  static final int SUMS = 6;
  /** Per task, which sums are the champion's: zero outside the whole holdout. */
  private static final Map<Task, Set<Integer>> CHAMPION_SUMS = Map.of(Task.BINARY,
      Set.of(3, 4, 5), Task.MULTICLASS, Set.of(1, 3), Task.REGRESSION, Set.of(2, 3));
  private static final double EPSILON = 1e-15;

  private EvaluationCells() {}

  /** The scope name of one slice value. */
  public static String slice(String column, String value) {
    return "slice:" + column + "=" + value;
  }

  /**
   * The cells of every scope from one pass over {@code scored}: each row's keys and sums are computed
   * once, then the row is counted in the whole holdout and in each of its slices; outside the whole
   * holdout the champion's key and sums are zero, as slices are not paired.
   */
  public static List<Cell> of(Dataset<Row> scored, Task task, double candidateThreshold,
                              double championThreshold, List<String> slices) {
    List<Column> scopes = new ArrayList<>(List.of(lit(ALL)));
    for (String column : slices) {
      scopes.add(concat(lit("slice:" + column + "="), coalesce(ColumnNames.column(column).cast("string"), lit("null"))));
    }
    List<Column> keyed = new ArrayList<>(keys(task, candidateThreshold, championThreshold));
    keyed.add(array(scopes.toArray(Column[]::new)).as("scopes"));
    Column whole = col("scope").equalTo(ALL);
    List<Column> exploded = new ArrayList<>(List.of(explode(col("scopes")).as("scope"), col("a"), col("b"), col("y")));
    Column[] sums = new Column[SUMS];
    for (int s = 0; s < SUMS; s++) {
      exploded.add(col("s" + s));
      sums[s] = sum(CHAMPION_SUMS.get(task).contains(s) ? when(whole, col("s" + s)).otherwise(lit(0.0)) : col("s" + s));
    }
    List<Cell> cells = new ArrayList<>();
    for (Row row : scored.select(keyed.toArray(Column[]::new)).select(exploded.toArray(Column[]::new))
        .groupBy(col("scope"), col("a"), when(whole, col("b")).otherwise(lit(0)).as("b"), col("y"))
        .agg(count(lit(1)), sums).collectAsList()) {
      double[] values = new double[SUMS];
      for (int s = 0; s < SUMS; s++) {
        values[s] = row.isNullAt(5 + s) ? 0 : row.getDouble(5 + s);
      }
      cells.add(new Cell(row.getString(0), row.getInt(1), row.getInt(2), row.getInt(3), row.getLong(4), values));
    }
    return cells;
  }

  /** A row's keys a (candidate), b (champion), y and its sums s0..s5, as the class comment describes per task. */
  private static List<Column> keys(Task task, double tp, double tq) {
    Column p = col(CANDIDATE);
    Column q = col(CHAMPION);
    Column y = col(LABEL);
    Column zero = lit(0.0);
    List<Column> columns = new ArrayList<>();
    switch (task) {
      case BINARY -> {
        columns.add(binaryKey(p, tp).as("a"));
        columns.add(coalesce(binaryKey(q, tq), lit(0)).as("b"));
        columns.add(y.cast("int").as("y"));
        columns.add(p.as("s0"));
        columns.add(logLoss(p, y).as("s1"));
        columns.add(pow(p.minus(y), 2).as("s2"));
        columns.add(q.as("s3"));
        columns.add(logLoss(q, y).as("s4"));
        columns.add(pow(q.minus(y), 2).as("s5"));
      }
      case MULTICLASS -> {
        columns.add(p.cast("int").as("a"));
        columns.add(coalesce(q.cast("int"), lit(0)).as("b"));
        columns.add(y.cast("int").as("y"));
        Column lp = col(CANDIDATE_TRUE_CLASS);
        Column lq = col(CHAMPION_TRUE_CLASS);
        columns.add(coalesce(ClassCounts.logLossTerm(lp), zero).as("s0"));
        columns.add(coalesce(ClassCounts.logLossTerm(lq), zero).as("s1"));
        columns.add(when(lp.isNotNull(), lit(1.0)).otherwise(zero).as("s2"));
        columns.add(when(lq.isNotNull(), lit(1.0)).otherwise(zero).as("s3"));
        columns.add(zero.as("s4"));
        columns.add(zero.as("s5"));
      }
      case REGRESSION -> {
        columns.add(pmod(col(ROW_HASH), lit(BUCKETS)).cast("int").as("a"));
        columns.add(lit(0).as("b"));
        columns.add(lit(0).as("y"));
        columns.add(pow(p.minus(y), 2).as("s0"));
        columns.add(abs(p.minus(y)).as("s1"));
        columns.add(pow(q.minus(y), 2).as("s2"));
        columns.add(abs(q.minus(y)).as("s3"));
        columns.add(y.as("s4"));
        columns.add(pow(y, 2).as("s5"));
      }
    }
    return columns;
  }

  /** The binary key of a score bin and whether the probability reaches the threshold. */
  static int binaryKey(int bin, boolean reaches) {
    return 2 * bin + (reaches ? 1 : 0);
  }

  /** The score bin ({@link RankingAreas#bin}) of a binary key. */
  static int scoreBin(int key) {
    return key >> 1;
  }

  /** Whether a binary key's rows reach the model's threshold (are predicted positive). */
  static boolean reaches(int key) {
    return (key & 1) == 1;
  }

  private static Column binaryKey(Column probability, double threshold) {
    return RankingAreas.bin(probability).multiply(2)
        .plus(when(probability.geq(lit(threshold)), lit(1)).otherwise(lit(0))).cast("int");
  }

  private static Column logLoss(Column probability, Column y) {
    Column clamped = least(greatest(probability, lit(EPSILON)), lit(1 - EPSILON));
    return when(y.gt(0.5), log(clamped).multiply(-1)).otherwise(log(lit(1).minus(clamped)).multiply(-1));
  }
}
