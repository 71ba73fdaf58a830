package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The drift measures against values worked out by hand (the working is in each comment). */
class DriftMeasuresTest {
  private static final long[] REFERENCE = {50, 30, 20};
  private static final long[] BATCH = {25, 25, 50};

  /**
   * Shares .5 .3 .2 against .25 .25 .5: PSI = -.25·ln(.5) - .05·ln(.25/.3) + .3·ln(2.5)
   * = .173287 + .009116 + .274887 = .457290.
   */
  @Test
  void psiSumsTheShareDifferencesWeightedByTheirLogRatio() {
    assertEquals(0.457290, DriftMeasures.psi(REFERENCE, BATCH), 1e-6);
    assertEquals(0.0, DriftMeasures.psi(REFERENCE, new long[] {5, 3, 2}), 1e-15);
  }

  /** An empty reference bin counts as a share of 1e-4: (.5-1)·ln(.5) + (.5-1e-4)·ln(.5/1e-4) = .346574 + 4.257745. */
  @Test
  void psiCountsAnEmptyBinAsEpsilonInsteadOfInfinity() {
    assertEquals(4.604318, DriftMeasures.psi(new long[] {100, 0}, new long[] {50, 50}), 1e-6);
    assertTrue(Double.isNaN(DriftMeasures.psi(new long[] {0, 0}, new long[] {1, 1})));
  }

  /**
   * .5 .5 against 1 0, mean .75 .25: KL(p‖m) = .5·log2(.5/.75) + .5·log2(2) = .207519; KL(q‖m) = log2(4/3)
   * = .415037; JS = (.207519 + .415037) / 2 = .311278 bits. Disjoint histograms give 1, equal ones 0.
   */
  @Test
  void jensenShannonIsInBitsBetweenZeroAndOne() {
    assertEquals(0.311278, DriftMeasures.jensenShannon(new long[] {5, 5}, new long[] {7, 0}), 1e-6);
    assertEquals(1.0, DriftMeasures.jensenShannon(new long[] {3, 0}, new long[] {0, 9}), 1e-12);
    assertEquals(0.0, DriftMeasures.jensenShannon(REFERENCE, new long[] {100, 60, 40}), 1e-12);
  }

  /**
   * The 2 × 3 table (50 30 20 / 25 25 50) has column totals 75 55 70 and expected counts 37.5 27.5 35 in
   * both rows: χ² = 2·(12.5²/37.5 + 2.5²/27.5 + 15²/35) = 21.645022 on 2 degrees of freedom, whose
   * survival function is exp(-χ²/2) = 1.99454e-5.
   */
  @Test
  void chiSquaredComparesTheTwoHistogramsAsAContingencyTable() {
    double[] test = DriftMeasures.chiSquared(REFERENCE, BATCH);
    assertEquals(21.645022, test[0], 1e-6);
    assertEquals(1.99454e-5, test[1], 1e-9);
  }

  /**
   * Different totals (60 40 / 20 30): column totals 80 70 of 150, expected 53.33 46.67 / 26.67 23.33, every
   * cell off by 20/3: χ² = (20/3)²·(1/53.33 + 1/46.67 + 1/26.67 + 1/23.33) = 5.357143 on 1 degree of
   * freedom, p = erfc(√(χ²/2)) = .020638. A bin empty in both is left out; one bin left compares nothing.
   */
  @Test
  void chiSquaredAllowsDifferentTotalsAndSkipsBinsEmptyInBoth() {
    double[] test = DriftMeasures.chiSquared(new long[] {60, 0, 40}, new long[] {20, 0, 30});
    assertEquals(5.357143, test[0], 1e-6);
    assertEquals(0.020638, test[1], 1e-6);
    assertArrayEquals(new double[] {0, 1}, DriftMeasures.chiSquared(new long[] {4, 0}, new long[] {9, 0}));
  }

  /** Cumulative shares .1 .3 .6 1 against .4 .7 .9 1: gaps .3 .4 .3 0, so KS = .4. */
  @Test
  void binnedKsIsTheLargestGapOfTheCumulativeShares() {
    assertEquals(0.4, DriftMeasures.binnedKs(new long[] {10, 20, 30, 40}, new long[] {4, 3, 2, 1}), 1e-12);
    assertEquals(0.0, DriftMeasures.binnedKs(new long[] {1, 2}, new long[] {2, 4}), 1e-12);
  }
}
