package io.mlcycle.monitoring;

/**
 * The drift of one column of one batch against its reference bins; a row of {@code _mlcycle/drift}.
 * A measure that does not apply to the kind (KS for categorical) is {@code NaN}, stored as null.
 *
 * @param kind numeric, categorical or prediction
 * @param psi population stability index ({@link DriftMeasures#psi})
 * @param ks binned Kolmogorov-Smirnov statistic, numeric and prediction only ({@link DriftMeasures#binnedKs})
 * @param chi2 chi-squared statistic of reference against batch counts ({@link DriftMeasures#chiSquared})
 * @param chi2PValue its p-value
 * @param js Jensen-Shannon divergence in bits ({@link DriftMeasures#jensenShannon})
 * @param drifted whether the thresholds call it drifted
 * @param rows the batch's rows
 */
public record FeatureDrift(String feature, String kind, double psi, double ks, double chi2, double chi2PValue,
                           double js, boolean drifted, long rows) {

  /** The measures of one column from its reference and batch counts, judged by {@code thresholds}. */
  static FeatureDrift of(ReferenceBins reference, long[] batch, MonitoringSpec.DriftThresholds thresholds) {
    long[] expected = reference.counts();
    double psi = DriftMeasures.psi(expected, batch);
    double js = DriftMeasures.jensenShannon(expected, batch);
    double[] chi2 = DriftMeasures.chiSquared(expected, batch);
    boolean categorical = reference.kind() == ReferenceBins.Kind.CATEGORICAL;
    double ks = categorical ? Double.NaN
        : DriftMeasures.binnedKs(ReferenceBins.withoutNulls(expected), ReferenceBins.withoutNulls(batch));
    boolean drifted = psi >= thresholds.psi() || (categorical ? js >= thresholds.js() : ks >= thresholds.ks());
    return new FeatureDrift(reference.column(), reference.kind().label(), psi, ks, chi2[0], chi2[1], js, drifted,
        java.util.Arrays.stream(batch).sum());
  }
}
