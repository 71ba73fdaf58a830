package io.mlcycle.training;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS as a state machine: it asks for the loss and gradient at one point at a time
 * ({@link #point()}) and is told them ({@link #accept}). Driving many of these in lockstep lets one pass
 * over the data evaluate every model of a cross-validation at once, where MLlib's own optimiser needs a
 * pass per model per iteration. Memory of 10 corrections, a backtracking Armijo line search, and
 * convergence on relative loss improvement below the tolerance, as MLlib's defaults.
 */
final class Lbfgs {
  private static final double ARMIJO = 1e-4;
  private static final int MAX_LINE_SEARCH = 30;

  private final int maxIterations;
  private final int memory;
  private final double tolerance;
  private final Deque<double[]> sHistory = new ArrayDeque<>();
  private final Deque<double[]> yHistory = new ArrayDeque<>();

  private double[] x;
  private double loss = Double.NaN;
  private double[] gradient;
  private double[] direction;
  private double step;
  private double[] trial;
  private int iterations;
  private int lineSearchTrials;
  private boolean started;
  private boolean done;

  Lbfgs(double[] start, int maxIterations, int memory, double tolerance) {
    this.trial = start.clone();
    this.maxIterations = maxIterations;
    this.memory = memory;
    this.tolerance = tolerance;
  }

  /** The point whose loss and gradient are needed next. */
  double[] point() {
    return trial;
  }

  boolean done() {
    return done;
  }

  double[] solution() {
    return x;
  }

  double loss() {
    return loss;
  }

  int iterations() {
    return iterations;
  }

  void accept(double trialLoss, double[] trialGradient) {
    if (!started) {
      started = true;
      moveTo(trial, trialLoss, trialGradient);
      double norm = norm(gradient);
      if (norm == 0 || maxIterations == 0) {
        done = true;
        return;
      }
      direction = negate(gradient);
      startLineSearch(1.0 / norm);
      return;
    }
    double slope = dot(gradient, direction);
    boolean sufficient = Double.isFinite(trialLoss) && trialLoss <= loss + ARMIJO * step * slope;
    if (!sufficient) {
      backtrack(trialLoss, slope);
      return;
    }
    remember(trial, trialGradient);
    double previous = loss;
    moveTo(trial, trialLoss, trialGradient);
    iterations++;
    double improvement = (previous - loss) / Math.max(Math.abs(loss), 1e-12);
    if (iterations >= maxIterations || improvement < tolerance || norm(gradient) < 1e-12) {
      done = true;
      return;
    }
    direction = searchDirection();
    startLineSearch(1.0);
  }

  private void backtrack(double trialLoss, double slope) {
    if (++lineSearchTrials > MAX_LINE_SEARCH) {
      done = true;
      return;
    }
    // Minimum of the quadratic through f(0), f'(0) and f(step), kept within [0.1, 0.5] of the step.
    double next = Double.isFinite(trialLoss)
        ? -slope * step * step / (2 * (trialLoss - loss - slope * step))
        : 0.1 * step;
    step = Math.min(0.5 * step, Math.max(0.1 * step, next));
    trial = axpy(step, direction, x);
  }

  private void startLineSearch(double initialStep) {
    step = initialStep;
    lineSearchTrials = 0;
    trial = axpy(step, direction, x);
  }

  private void moveTo(double[] point, double value, double[] grad) {
    x = point;
    loss = value;
    gradient = grad;
  }

  private void remember(double[] next, double[] nextGradient) {
    double[] s = subtract(next, x);
    double[] y = subtract(nextGradient, gradient);
    if (dot(s, y) <= 1e-10) {
      return;
    }
    sHistory.addLast(s);
    yHistory.addLast(y);
    if (sHistory.size() > memory) {
      sHistory.removeFirst();
      yHistory.removeFirst();
    }
  }

  /** The two-loop recursion: -H·g with the inverse Hessian approximated from the stored corrections. */
  private double[] searchDirection() {
    int k = sHistory.size();
    double[] q = gradient.clone();
    double[][] s = sHistory.toArray(new double[0][]);
    double[][] y = yHistory.toArray(new double[0][]);
    double[] alpha = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      alpha[i] = dot(s[i], q) / dot(y[i], s[i]);
      addScaled(q, -alpha[i], y[i]);
    }
    if (k > 0) {
      double gamma = dot(s[k - 1], y[k - 1]) / dot(y[k - 1], y[k - 1]);
      scale(q, gamma);
    }
    for (int i = 0; i < k; i++) {
      double beta = dot(y[i], q) / dot(y[i], s[i]);
      addScaled(q, alpha[i] - beta, s[i]);
    }
    double[] d = negate(q);
    if (dot(d, gradient) >= 0) {
      sHistory.clear();
      yHistory.clear();
      return negate(gradient);
    }
    return d;
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static double[] negate(double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = -a[i];
    }
    return r;
  }

  private static double[] subtract(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] - b[i];
    }
    return r;
  }

  /** a·x + y, as a new array. */
  private static double[] axpy(double a, double[] x, double[] y) {
    double[] r = y.clone();
    addScaled(r, a, x);
    return r;
  }

  private static void addScaled(double[] target, double a, double[] x) {
    for (int i = 0; i < target.length; i++) {
      target[i] += a * x[i];
    }
  }

  private static void scale(double[] target, double a) {
    for (int i = 0; i < target.length; i++) {
      target[i] *= a;
    }
  }
}
