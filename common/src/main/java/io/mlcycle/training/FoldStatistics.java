package io.mlcycle.training;

import org.apache.spark.api.java.JavaRDD;

/**
 * Weighted sums per fold from one pass — weight, squared weight, positive weight, and each feature's
 * sum and sum of squares — from which any "all folds but one" training set gets its label balance and
 * feature standard deviations without another pass.
 */
final class FoldStatistics {
  private static final int WEIGHT = 0;
  private static final int WEIGHT_SQUARED = 1;
  private static final int POSITIVE = 2;
  private static final int HEADER = 3;

  private final double[] sums;
  private final int dim;
  private final int folds;

  private FoldStatistics(double[] sums, int dim, int folds) {
    this.sums = sums;
    this.dim = dim;
    this.folds = folds;
  }

  static FoldStatistics compute(JavaRDD<TrainingBlocks.Block> blocks, int dim, int folds) {
    int stride = HEADER + 2 * dim;
    double[] sums = OrderedSums.of(blocks, folds * stride, (acc, block) -> {
      for (int i = 0; i < block.size; i++) {
        int o = block.fold[i] * stride;
        double w = block.weight[i];
        acc[o + WEIGHT] += w;
        acc[o + WEIGHT_SQUARED] += w * w;
        acc[o + POSITIVE] += w * block.label[i];
        for (int p = block.start[i]; p < block.start[i + 1]; p++) {
          double v = block.value[p];
          acc[o + HEADER + block.index[p]] += w * v;
          acc[o + HEADER + dim + block.index[p]] += w * v * v;
        }
      }
      return acc;
    });
    return new FoldStatistics(sums, dim, folds);
  }

  /** The statistics of all rows outside {@code heldOutFold} (all rows for {@link LinearModelSpec#NO_FOLD}). */
  Training excluding(int heldOutFold) {
    int stride = HEADER + 2 * dim;
    double[] total = new double[stride];
    for (int f = 0; f < folds; f++) {
      if (f == heldOutFold) {
        continue;
      }
      for (int i = 0; i < stride; i++) {
        total[i] += sums[f * stride + i];
      }
    }
    double weight = total[WEIGHT];
    double[] inverseStd = new double[dim];
    double denominator = weight - total[WEIGHT_SQUARED] / weight;
    for (int j = 0; j < dim; j++) {
      double mean = total[HEADER + j] / weight;
      double variance = (total[HEADER + dim + j] - mean * mean * weight) / denominator;
      inverseStd[j] = variance > 1e-24 && denominator > 0 ? 1 / Math.sqrt(variance) : 0;
    }
    return new Training(weight, total[POSITIVE], inverseStd);
  }

  record Training(double weightSum, double positiveWeight, double[] inverseStd) {}
}
