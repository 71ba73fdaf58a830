package io.mlcycle.monitoring;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * The drift measures between a reference histogram and a batch's histogram over the same bins, computed
 * on the driver from counts (the counting is {@link BatchDrift}'s one Spark aggregation). Each takes the
 * reference counts first and the batch counts second; a histogram with no rows gives {@code NaN}.
 */
public final class DriftMeasures {
  /**
   * The share an empty bin counts as in PSI (0.01 %), in either histogram: without it one empty bin makes
   * PSI infinite. Shares are not renormalised afterwards.
   */
  public static final double PSI_EPSILON = 1e-4;

  private DriftMeasures() {}

  /**
   * Population stability index: the sum over bins of {@code (q - p) * ln(q / p)}, {@code p} the reference
   * share and {@code q} the batch share, each at least {@link #PSI_EPSILON}. Natural log, as the usual
   * 0.1 / 0.25 rules of thumb assume.
   */
  public static double psi(long[] reference, long[] batch) {
    double[] p = shares(reference);
    double[] q = shares(batch);
    if (p == null || q == null) {
      return Double.NaN;
    }
    double psi = 0;
    for (int i = 0; i < p.length; i++) {
      double expected = Math.max(p[i], PSI_EPSILON);
      double actual = Math.max(q[i], PSI_EPSILON);
      psi += (actual - expected) * Math.log(actual / expected);
    }
    return psi;
  }

  /**
   * Jensen-Shannon divergence in bits (log base 2), so between 0 (same shares) and 1 (no bin in common):
   * the mean Kullback-Leibler divergence of each histogram from their average. Empty bins need no epsilon.
   */
  public static double jensenShannon(long[] reference, long[] batch) {
    double[] p = shares(reference);
    double[] q = shares(batch);
    if (p == null || q == null) {
      return Double.NaN;
    }
    double divergence = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      divergence += half(p[i], m) + half(q[i], m);
    }
    return Math.max(0, divergence);
  }

  private static double half(double share, double mean) {
    return share == 0 ? 0 : share * Math.log(share / mean) / Math.log(2) / 2;
  }

  /**
   * Pearson's chi-squared test that the reference and the batch come from one distribution (a 2 × k
   * contingency table of counts, k - 1 degrees of freedom; commons-math's two-sample comparison, which
   * allows different totals). Bins empty in both are left out. With fewer than two bins left there is
   * nothing to compare: statistic 0, p-value 1. On large batches the p-value is near 0 for any shift,
   * which is why drift decisions use PSI, KS and JS, and chi-squared is recorded beside them.
   *
   * @return {statistic, p-value}
   */
  public static double[] chiSquared(long[] reference, long[] batch) {
    if (total(reference) == 0 || total(batch) == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    int bins = 0;
    long[] r = new long[reference.length];
    long[] b = new long[batch.length];
    for (int i = 0; i < reference.length; i++) {
      if (reference[i] + batch[i] > 0) {
        r[bins] = reference[i];
        b[bins++] = batch[i];
      }
    }
    if (bins < 2) {
      return new double[] {0, 1};
    }
    ChiSquareTest test = new ChiSquareTest();
    long[] observed1 = Arrays.copyOf(r, bins);
    long[] observed2 = Arrays.copyOf(b, bins);
    return new double[] {test.chiSquareDataSetsComparison(observed1, observed2),
        test.chiSquareTestDataSetsComparison(observed1, observed2)};
  }

  /**
   * The binned Kolmogorov-Smirnov statistic: the largest gap between the reference's and the batch's
   * cumulative shares at the reference's quantile edges, nulls left out. The reference is stored as
   * bins, not rows, so the exact per-row KS cannot be computed; this is the exact KS of the two
   * distributions observed only at those edges, a lower bound of the per-row statistic, and with
   * decile edges it misses no shift that moves at least a tenth of the mass across an edge.
   *
   * @param reference counts of the non-null bins in edge order
   * @param batch the batch's counts of the same bins
   */
  public static double binnedKs(long[] reference, long[] batch) {
    double[] p = shares(reference);
    double[] q = shares(batch);
    if (p == null || q == null) {
      return Double.NaN;
    }
    double cumulativeP = 0;
    double cumulativeQ = 0;
    double ks = 0;
    for (int i = 0; i < p.length; i++) {
      cumulativeP += p[i];
      cumulativeQ += q[i];
      ks = Math.max(ks, Math.abs(cumulativeP - cumulativeQ));
    }
    return ks;
  }

  private static double[] shares(long[] counts) {
    long total = total(counts);
    if (total == 0) {
      return null;
    }
    return Arrays.stream(counts).mapToDouble(c -> (double) c / total).toArray();
  }

  private static long total(long[] counts) {
    return Arrays.stream(counts).sum();
  }
}
