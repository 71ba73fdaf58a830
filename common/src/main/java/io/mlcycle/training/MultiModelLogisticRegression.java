package io.mlcycle.training;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits many binary logistic-regression models — every fold × grid point of a cross-validation — with one
 * pass over the cached data per optimiser step for all of them together. MLlib fits each model on its
 * own, a Spark job per iteration per model; here a k-fold, g-point search costs the passes of its
 * slowest model instead of the sum over k·g models.
 *
 * <p>The objective is MLlib's {@code LogisticRegression} with {@code standardization=true} and no
 * elastic net: the weighted mean log loss plus {@code 0.5·regParam·‖β/σ‖²}-style L2 on coefficients of
 * standardised features (σ the weighted sample standard deviation on the model's own training rows),
 * intercept unpenalised and started at the log-odds of the label; features with σ = 0 get no weight.
 */
public final class MultiModelLogisticRegression {
  private static final Logger LOG = LoggerFactory.getLogger(MultiModelLogisticRegression.class);
  private static final int LBFGS_MEMORY = 10;

  private final int maxIterations;
  private final double tolerance;

  public MultiModelLogisticRegression(int maxIterations, double tolerance) {
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  /** A fitted model, in the original (unstandardised) feature space. */
  public record Fit(LinearModelSpec spec, double[] coefficients, double intercept, int iterations, double loss)
      implements java.io.Serializable {
    /** The margin (log-odds) of one sparse row. */
    double margin(int[] index, double[] value, int from, int to) {
      double m = intercept;
      for (int p = from; p < to; p++) {
        m += coefficients[index[p]] * value[p];
      }
      return m;
    }
  }

  public record Result(List<Fit> fits, int passes) {}

  public Result fit(TrainingBlocks data, List<LinearModelSpec> specs) {
    return fit(data, specs, null);
  }

  /**
   * Fits the models; {@code warmStart}, when given, is a raw-space model each fit starts from (the refit
   * after cross-validation starts from the chosen penalty's fold models, and needs a fraction of the passes).
   */
  public Result fit(TrainingBlocks data, List<LinearModelSpec> specs, Fit warmStart) {
    int dim = data.dimension();
    FoldStatistics stats = FoldStatistics.compute(data.rdd(), dim, data.folds());
    int models = specs.size();
    FoldStatistics.Training[] training = new FoldStatistics.Training[models];
    Lbfgs[] optimizers = new Lbfgs[models];
    for (int k = 0; k < models; k++) {
      training[k] = stats.excluding(specs.get(k).heldOutFold());
      double[] start = new double[dim + 1];
      start[dim] = Math.log(training[k].positiveWeight() / (training[k].weightSum() - training[k].positiveWeight()));
      if (warmStart != null) {
        double[] inverseStd = training[k].inverseStd();
        for (int j = 0; j < dim; j++) {
          start[j] = inverseStd[j] == 0 ? 0 : warmStart.coefficients()[j] / inverseStd[j];
        }
        start[dim] = warmStart.intercept();
      }
      optimizers[k] = new Lbfgs(start, maxIterations, LBFGS_MEMORY, tolerance);
    }
    int passes = 0;
    List<Integer> active = activeModels(optimizers);
    while (!active.isEmpty()) {
      double[][] coefficients = new double[active.size()][];
      double[] intercepts = new double[active.size()];
      int[] heldOut = new int[active.size()];
      for (int a = 0; a < active.size(); a++) {
        int k = active.get(a);
        double[] point = optimizers[k].point();
        coefficients[a] = unscale(point, training[k].inverseStd());
        intercepts[a] = point[dim];
        heldOut[a] = specs.get(k).heldOutFold();
      }
      double[] sums = lossAndGradient(data.rdd(), dim, coefficients, intercepts, heldOut);
      passes++;
      for (int a = 0; a < active.size(); a++) {
        int k = active.get(a);
        accept(optimizers[k], training[k], specs.get(k).regParam(), sums, a * (dim + 2), dim);
      }
      active = activeModels(optimizers);
    }
    List<Fit> fits = new ArrayList<>();
    for (int k = 0; k < models; k++) {
      double[] solution = optimizers[k].solution();
      fits.add(new Fit(specs.get(k), unscale(solution, training[k].inverseStd()), solution[dim],
          optimizers[k].iterations(), optimizers[k].loss()));
    }
    LOG.info("fitted {} logistic-regression models in {} passes over the data", models, passes);
    return new Result(fits, passes);
  }

  private static List<Integer> activeModels(Lbfgs[] optimizers) {
    List<Integer> active = new ArrayList<>();
    for (int k = 0; k < optimizers.length; k++) {
      if (!optimizers[k].done()) {
        active.add(k);
      }
    }
    return active;
  }

  /** Coefficients of the standardised space divided by σ: the weights the raw features get. */
  private static double[] unscale(double[] scaled, double[] inverseStd) {
    double[] raw = new double[inverseStd.length];
    for (int j = 0; j < raw.length; j++) {
      raw[j] = scaled[j] * inverseStd[j];
    }
    return raw;
  }

  private static void accept(Lbfgs optimizer, FoldStatistics.Training training, double regParam, double[] sums,
                             int offset, int dim) {
    double[] point = optimizer.point();
    double weightSum = training.weightSum();
    double[] inverseStd = training.inverseStd();
    double[] gradient = new double[dim + 1];
    double penalty = 0;
    for (int j = 0; j < dim; j++) {
      gradient[j] = sums[offset + 2 + j] * inverseStd[j] / weightSum + regParam * point[j];
      penalty += point[j] * point[j];
    }
    gradient[dim] = sums[offset + 1] / weightSum;
    double loss = sums[offset] / weightSum + 0.5 * regParam * penalty;
    optimizer.accept(loss, gradient);
  }

  /**
   * One pass: for each model, the weighted log-loss sum, the intercept's and every raw feature's gradient
   * sum over its training rows, laid out as {@code [loss, intercept, g_0 .. g_dim-1]} per model.
   */
  private static double[] lossAndGradient(JavaRDD<TrainingBlocks.Block> blocks, int dim, double[][] coefficients,
                                          double[] intercepts, int[] heldOut) {
    int models = coefficients.length;
    int stride = dim + 2;
    return OrderedSums.of(blocks, models * stride, (sums, block) -> {
      for (int i = 0; i < block.size; i++) {
        int fold = block.fold[i];
        double y = block.label[i];
        double w = block.weight[i];
        int from = block.start[i];
        int to = block.start[i + 1];
        for (int k = 0; k < models; k++) {
          if (heldOut[k] == fold || w == 0) {
            continue;
          }
          double[] c = coefficients[k];
          double margin = intercepts[k];
          for (int p = from; p < to; p++) {
            margin += c[block.index[p]] * block.value[p];
          }
          int o = k * stride;
          // One exp serves both the loss and the probability.
          double e = Math.exp(-Math.abs(margin));
          sums[o] += w * (Math.max(margin, 0) + log1p(e) - y * margin);
          double probability = margin >= 0 ? 1 / (1 + e) : e / (1 + e);
          double multiplier = w * (probability - y);
          sums[o + 1] += multiplier;
          for (int p = from; p < to; p++) {
            sums[o + 2 + block.index[p]] += multiplier * block.value[p];
          }
        }
      }
      return sums;
    });
  }

  static double[] add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** log(1 + x) for 0 ≤ x ≤ 1: Math.log is an intrinsic and several times faster than Math.log1p. */
  private static double log1p(double x) {
    return x < 1e-5 ? x - x * x / 2 : Math.log(1 + x);
  }

  /** log(1 + e^m) − y·m, without overflow. */
  static double logLoss(double margin, double label) {
    double softplus = margin > 0 ? margin + Math.log1p(Math.exp(-margin)) : Math.log1p(Math.exp(margin));
    return softplus - label * margin;
  }
}
