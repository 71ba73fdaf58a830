package io.mlcycle.metrics;

import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;

import org.apache.spark.sql.Column;

/**
 * The one kernel of the areas under the ROC and precision-recall curves. Scores are binned on one grid:
 * the log-odds of the probability (clamped to ±{@value #MARGIN_LIMIT}) in {@value #BINS} bins
 * {@value #WIDTH} wide, bin 0 lowest; {@link #of} then walks the counts per bin from the highest bin down
 * by the trapezoid rule, so the areas are exact up to ties within a bin, which count half.
 *
 * <p>Training (held-out folds, holdout), evaluation (holdout, slices, bootstrap replicates) and realised
 * performance all bin with {@link #bin(double)} (in Java) or {@link #bin(Column)} (in Spark, the same
 * arithmetic) and sum with {@link #of}, so the same scores and labels give the same areas everywhere.
 */
public final class RankingAreas {
  /** The width of a score bin on the log-odds scale. */
  public static final double WIDTH = 0.01;
  /** Log-odds beyond ±this fall in the first or last bin. */
  public static final double MARGIN_LIMIT = 15;
  public static final int BINS = (int) Math.round(2 * MARGIN_LIMIT / WIDTH);
  private static final double EPSILON = 1e-15;

  private RankingAreas() {}

  /** The areas; {@code roc} is NaN when one class is absent. */
  public record Areas(double roc, double pr) {}

  /** The log-odds of a probability clamped to [1e-15, 1 − 1e-15], as {@link #bin(Column)} computes it. */
  public static double logOdds(double probability) {
    double p = Math.min(1 - EPSILON, Math.max(EPSILON, probability));
    return Math.log(p / (1 - p));
  }

  /** The bin of a log-odds value (a model's margin). */
  public static int bin(double margin) {
    return (int) Math.max(0, Math.min(BINS - 1, Math.floor(margin / WIDTH) + BINS / 2));
  }

  /** The bin of a probability column, an int column: the Spark form of {@code bin(logOdds(p))}. */
  public static Column bin(Column probability) {
    Column p = least(greatest(probability, lit(EPSILON)), lit(1 - EPSILON));
    Column margin = log(p.divide(lit(1).minus(p)));
    return least(greatest(floor(margin.divide(lit(WIDTH))).plus(lit(BINS / 2)), lit(0)), lit(BINS - 1)).cast("int");
  }

  /** The probability at the lower edge of a bin: rows of this bin and above reach it ({@code BINS} → top edge). */
  public static double lowerEdge(int bin) {
    return 1 / (1 + Math.exp(-(bin - BINS / 2) * WIDTH));
  }

  /**
   * @param negatives rows (or weights) with a negative label per bin, lowest bin first
   * @param positives rows (or weights) with a positive label per bin, lowest bin first
   */
  public static Areas of(double[] negatives, double[] positives) {
    double allPositives = 0;
    double allNegatives = 0;
    for (int b = 0; b < negatives.length; b++) {
      allPositives += positives[b];
      allNegatives += negatives[b];
    }
    double tp = 0;
    double fp = 0;
    double roc = 0;
    double pr = 0;
    double previousRecall = 0;
    double previousPrecision = Double.NaN;
    for (int b = negatives.length - 1; b >= 0; b--) {
      double pos = positives[b];
      double neg = negatives[b];
      if (pos + neg == 0) {
        continue;
      }
      roc += neg * (tp + pos / 2);
      tp += pos;
      fp += neg;
      double recall = allPositives == 0 ? 0 : tp / allPositives;
      double precision = tp / (tp + fp);
      // The curve starts at recall 0 with the precision of the highest bin, as MLlib's does.
      double from = Double.isNaN(previousPrecision) ? precision : previousPrecision;
      pr += (recall - previousRecall) * (precision + from) / 2;
      previousRecall = recall;
      previousPrecision = precision;
    }
    return new Areas(allPositives * allNegatives == 0 ? Double.NaN : roc / (allPositives * allNegatives), pr);
  }
}
