package io.mlcycle.training;

import io.mlcycle.metrics.Metric;
import java.util.ArrayList;
import java.util.List;

/**
 * k-fold cross-validation of binary logistic regression over a grid of L2 penalties, on data packed
 * once: every fold × penalty model trains in the same passes, one more pass scores all of them on their
 * held-out folds, and the chosen penalty is refitted on all rows.
 */
public final class LogisticCrossValidator {
  private final MultiModelLogisticRegression trainer;
  private final String metric;

  public LogisticCrossValidator(int maxIterations, double tolerance, String metric) {
    this.trainer = new MultiModelLogisticRegression(maxIterations, tolerance);
    this.metric = metric;
  }

  public Result run(TrainingBlocks data, double[] regParams) {
    int folds = data.folds();
    List<LinearModelSpec> specs = new ArrayList<>();
    for (double regParam : regParams) {
      for (int fold = 0; fold < folds; fold++) {
        specs.add(new LinearModelSpec(fold, regParam));
      }
    }
    MultiModelLogisticRegression.Result cv = trainer.fit(data, specs);
    HeldOutMetrics.Metrics[] metrics = HeldOutMetrics.evaluate(data, cv.fits());

    HeldOutMetrics.Metrics[][] byGrid = new HeldOutMetrics.Metrics[regParams.length][folds];
    double[] mean = new double[regParams.length];
    double[] std = new double[regParams.length];
    for (int g = 0; g < regParams.length; g++) {
      double sum = 0;
      double sumSquares = 0;
      for (int f = 0; f < folds; f++) {
        byGrid[g][f] = metrics[g * folds + f];
        double value = byGrid[g][f].get(metric);
        sum += value;
        sumSquares += value * value;
      }
      mean[g] = sum / folds;
      std[g] = folds > 1 ? Math.sqrt(Math.max(0, (sumSquares - folds * mean[g] * mean[g]) / (folds - 1))) : 0;
    }
    int best = 0;
    for (int g = 1; g < regParams.length; g++) {
      boolean better = Metric.largerIsBetter(metric) ? mean[g] > mean[best] : mean[g] < mean[best];
      if (better) {
        best = g;
      }
    }
    MultiModelLogisticRegression.Result refit = trainer.fit(data,
        List.of(new LinearModelSpec(LinearModelSpec.NO_FOLD, regParams[best])),
        average(cv.fits().subList(best * folds, (best + 1) * folds)));
    return new Result(regParams.clone(), metric, byGrid, mean, std, best, refit.fits().get(0),
        cv.passes() + refit.passes());
  }

  /** The mean of the fold models: a start for the refit that is already close to its optimum. */
  private static MultiModelLogisticRegression.Fit average(List<MultiModelLogisticRegression.Fit> fits) {
    double[] coefficients = new double[fits.get(0).coefficients().length];
    double intercept = 0;
    for (MultiModelLogisticRegression.Fit fit : fits) {
      for (int j = 0; j < coefficients.length; j++) {
        coefficients[j] += fit.coefficients()[j] / fits.size();
      }
      intercept += fit.intercept() / fits.size();
    }
    return new MultiModelLogisticRegression.Fit(fits.get(0).spec(), coefficients, intercept, 0, Double.NaN);
  }

  /**
   * @param foldMetrics [grid point][fold] metrics on the held-out fold
   * @param mean the chosen metric's mean over folds, per grid point
   * @param std its sample standard deviation over folds
   * @param passes optimiser passes over the data (each one Spark job)
   */
  public record Result(double[] regParams, String metric, HeldOutMetrics.Metrics[][] foldMetrics, double[] mean,
                       double[] std, int best, MultiModelLogisticRegression.Fit model, int passes) {
    public double bestRegParam() {
      return regParams[best];
    }
  }
}
