package io.mlcycle.training;

/**
 * ROC and precision-recall areas of scores binned in order, by the trapezoid rule, walking the bins from
 * the highest score down: exact up to ties within a bin, which count half.
 */
public final class RankingAreas {
  private RankingAreas() {}

  /**
   * @param negatives rows with a negative label per bin, lowest score first
   * @param positives rows with a positive label per bin, lowest score first
   * @return {ROC area, PR area}; the ROC area is NaN when one class is absent
   */
  public static double[] of(double[] negatives, double[] positives) {
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
    double previousPrecision = 1;
    boolean first = true;
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
      if (first) {
        previousPrecision = precision;
        first = false;
      }
      pr += (recall - previousRecall) * (precision + previousPrecision) / 2;
      previousRecall = recall;
      previousPrecision = precision;
    }
    return new double[] {allPositives * allNegatives == 0 ? Double.NaN : roc / (allPositives * allNegatives), pr};
  }
}
