package io.mlcycle.metrics;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * The one kernel of the regression metrics: the rows, and the sums of the squared and absolute residuals
 * (prediction − label), of the residuals, of the label and of its square give {@link Metric#RMSE},
 * {@link Metric#MAE}, {@link Metric#R2} and {@link Metric#MEAN_RESIDUAL}. Training, evaluation and realised
 * performance all sum into one of these ({@link #aggregates} is the Spark form), so the same predictions
 * give the same errors everywhere.
 */
public record ErrorSums(double rows, double squared, double absolute, double residual, double label,
                        double labelSquared) {
  /** No rows yet. */
  public static final ErrorSums NONE = new ErrorSums(0, 0, 0, 0, 0, 0);

  /** One row's (or weight's) contribution. */
  public static ErrorSums of(double prediction, double label, double weight) {
    double residual = prediction - label;
    return new ErrorSums(weight, weight * residual * residual, weight * Math.abs(residual), weight * residual,
        weight * label, weight * label * label);
  }

  public ErrorSums plus(ErrorSums other) {
    return new ErrorSums(rows + other.rows, squared + other.squared, absolute + other.absolute,
        residual + other.residual, label + other.label, labelSquared + other.labelSquared);
  }

  /** The six sums of rows whose {@code prediction} and {@code label} are known, in this record's order. */
  public static Column[] aggregates(Column prediction, Column label) {
    Column residual = prediction.minus(label);
    Column known = prediction.isNotNull().and(label.isNotNull());
    return new Column[] {count(when(known, 1)).cast("double"), sum(pow(residual, 2)), sum(abs(residual)),
        sum(residual), sum(when(known, label)), sum(when(known, pow(label, 2)))};
  }

  /** The sums read back from {@code row}, starting at field {@code from} (as {@link #aggregates} wrote them). */
  public static ErrorSums read(Row row, int from) {
    double[] v = new double[6];
    for (int i = 0; i < 6; i++) {
      v[i] = row.isNullAt(from + i) ? 0 : ((Number) row.get(from + i)).doubleValue();
    }
    return new ErrorSums(v[0], v[1], v[2], v[3], v[4], v[5]);
  }

  /** RMSE, MAE, R² (NaN when the label is constant), mean residual and the rows; NaN without rows. */
  public Map<String, Double> metrics() {
    double total = labelSquared - label * label / rows;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(Metric.RMSE.id(), rows == 0 ? Double.NaN : Math.sqrt(squared / rows));
    metrics.put(Metric.MAE.id(), rows == 0 ? Double.NaN : absolute / rows);
    metrics.put(Metric.R2.id(), rows == 0 || total <= 0 ? Double.NaN : 1 - squared / total);
    metrics.put(Metric.MEAN_RESIDUAL.id(), rows == 0 ? Double.NaN : residual / rows);
    metrics.put(Metric.ROWS.id(), rows);
    return metrics;
  }
}
