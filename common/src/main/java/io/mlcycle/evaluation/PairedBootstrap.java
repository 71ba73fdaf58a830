package io.mlcycle.evaluation;

import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import io.mlcycle.training.TrainingSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A paired Poisson bootstrap of candidate − champion over the same holdout rows. Each replicate gives
 * every row a Poisson(1) weight, shared by both models (that is what makes it paired); a cell of n rows
 * then weighs Poisson(n) in total, so replicates are drawn per cell, not per row. Regression cells are
 * random buckets of rows, so there the bucket is the resampled unit (a cluster bootstrap).
 */
public final class PairedBootstrap {
  private PairedBootstrap() {}

  /** The difference and its confidence interval: the point estimate, then the percentile bounds. */
  public record Difference(double value, double low, double high) {}

  public static Map<String, Difference> differences(Task task, List<Cell> cells,
                                                    EvaluationSpec spec) {
    Map<String, Double> candidate = EvaluationMetrics.of(task, cells, null, EvaluationMetrics.Side.CANDIDATE,
        spec.business());
    Map<String, Double> champion = EvaluationMetrics.of(task, cells, null, EvaluationMetrics.Side.CHAMPION,
        spec.business());
    Map<String, double[]> replicates = new LinkedHashMap<>();
    candidate.keySet().stream().filter(m -> !m.equals(Metric.ROWS.id()))
        .forEach(m -> replicates.put(m, new double[spec.bootstrapSamples()]));
    SplittableRandom random = new SplittableRandom(spec.bootstrapSeed());
    double[] weights = new double[cells.size()];
    for (int r = 0; r < spec.bootstrapSamples(); r++) {
      for (int i = 0; i < cells.size(); i++) {
        long n = cells.get(i).n();
        weights[i] = task == Task.REGRESSION ? poisson(random, 1) : poisson(random, n) / (double) n;
      }
      Map<String, Double> c = EvaluationMetrics.of(task, cells, weights, EvaluationMetrics.Side.CANDIDATE,
          spec.business());
      Map<String, Double> q = EvaluationMetrics.of(task, cells, weights, EvaluationMetrics.Side.CHAMPION,
          spec.business());
      for (Map.Entry<String, double[]> metric : replicates.entrySet()) {
        metric.getValue()[r] = c.get(metric.getKey()) - q.get(metric.getKey());
      }
    }
    double tail = (1 - spec.confidence()) / 2;
    Map<String, Difference> result = new LinkedHashMap<>();
    replicates.forEach((metric, values) -> {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      result.put(metric, new Difference(candidate.get(metric) - champion.get(metric), quantile(sorted, tail),
          quantile(sorted, 1 - tail)));
    });
    return result;
  }

  private static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int low = (int) Math.floor(position);
    int high = Math.min(sorted.length - 1, low + 1);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  }

  /** A Poisson draw: Knuth's product method for small means, the normal approximation for large ones. */
  static long poisson(SplittableRandom random, double mean) {
    if (mean < 30) {
      double limit = Math.exp(-mean);
      double product = random.nextDouble();
      long k = 0;
      while (product > limit) {
        product *= random.nextDouble();
        k++;
      }
      return k;
    }
    double gaussian = gaussian(random);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
