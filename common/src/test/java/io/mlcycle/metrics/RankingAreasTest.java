package io.mlcycle.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernel on counts worked out by hand, and the grid's edges. */
class RankingAreasTest {
  /**
   * Three bins, lowest first: bin 0 holds 2 negatives, bin 1 one positive and one negative, bin 2 two
   * positives. Of the 3·3 positive-negative pairs, the 2 positives of bin 2 beat all 3 negatives (6), the
   * positive of bin 1 beats the 2 negatives of bin 0 (2) and ties with the one beside it (½): ROC area
   * 8.5/9. PR walking down: bin 2 reaches recall 2/3 at precision 1 (from recall 0 at precision 1: 2/3·1),
   * bin 1 recall 1 at precision 3/4 (1/3·(1 + 3/4)/2 = 7/24), bin 0 adds no recall: PR area 2/3 + 7/24 = 23/24.
   */
  @Test
  void areasMatchTheHandCount() {
    RankingAreas.Areas areas = RankingAreas.of(new double[] {2, 1, 0}, new double[] {0, 1, 2});
    assertEquals(8.5 / 9, areas.roc(), 1e-12);
    assertEquals(23.0 / 24, areas.pr(), 1e-12);
  }

  /** Everything in one bin is one big tie: ROC ½; precision is the positive rate all along: PR 1/4. */
  @Test
  void oneBinIsATieAndOneClassHasNoRocArea() {
    RankingAreas.Areas tie = RankingAreas.of(new double[] {0, 3, 0}, new double[] {0, 1, 0});
    assertEquals(0.5, tie.roc(), 1e-12);
    assertEquals(0.25, tie.pr(), 1e-12);
    assertTrue(Double.isNaN(RankingAreas.of(new double[] {0, 0}, new double[] {1, 2}).roc()));
  }

  @Test
  void binsAreWidthWideOnTheLogOddsAndClampedAtTheEnds() {
    int middle = RankingAreas.BINS / 2;
    assertEquals(middle, RankingAreas.bin(RankingAreas.logOdds(0.5)));
    assertEquals(middle, RankingAreas.bin(RankingAreas.WIDTH * 0.99));
    assertEquals(middle - 1, RankingAreas.bin(-RankingAreas.WIDTH * 0.01));
    assertEquals(middle + 1, RankingAreas.bin(RankingAreas.WIDTH * 1.5));
    assertEquals(0, RankingAreas.bin(RankingAreas.logOdds(0)));
    assertEquals(RankingAreas.BINS - 1, RankingAreas.bin(RankingAreas.logOdds(1)));
    assertEquals(0.5, RankingAreas.lowerEdge(middle), 1e-15);
    double edge = RankingAreas.lowerEdge(middle + 7);
    assertEquals(middle + 7, RankingAreas.bin(RankingAreas.logOdds(edge * (1 + 1e-12))), "a bin starts at its edge");
    assertEquals(middle + 6, RankingAreas.bin(RankingAreas.logOdds(edge * (1 - 1e-9))));
  }
}
