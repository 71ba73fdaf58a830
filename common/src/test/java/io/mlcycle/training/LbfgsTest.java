package io.mlcycle.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {
  /** Drives the optimiser on f(x) = Σ a_i (x_i − i)², an ill-conditioned bowl with its minimum at x_i = i. */
  @Test
  void findsTheMinimumOfAnIllConditionedQuadratic() {
    double[] a = {1, 10, 100, 1000};
    Lbfgs lbfgs = new Lbfgs(new double[4], 100, 10, 1e-12);
    int evaluations = 0;
    while (!lbfgs.done()) {
      double[] x = lbfgs.point();
      double f = 0;
      double[] g = new double[4];
      for (int i = 0; i < 4; i++) {
        f += a[i] * (x[i] - i) * (x[i] - i);
        g[i] = 2 * a[i] * (x[i] - i);
      }
      lbfgs.accept(f, g);
      evaluations++;
    }
    assertArrayEquals(new double[] {0, 1, 2, 3}, lbfgs.solution(), 1e-4);
    assertTrue(evaluations < 100, "converged in " + evaluations + " evaluations");
  }
}
