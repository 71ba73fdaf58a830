package io.mlcycle.training;

import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.RankingAreas;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Binary metrics of many models on their held-out folds, from one pass: each model's rows of its held-out
 * fold are binned by margin on the grid of {@link RankingAreas} (so the ranking metrics are those evaluation
 * and monitoring report for the same scores) with their log loss and hits at probability 0.5.
 */
public final class HeldOutMetrics {
  private static final int BINS = RankingAreas.BINS;
  private static final int STRIDE = 2 * BINS + 3;

  private HeldOutMetrics() {}

  /**
   * Metrics of one model on its held-out rows, with the rows' histogram over the log-odds: negatives per
   * bin, then positives per bin (what a decision threshold is chosen from).
   */
  public record Metrics(double areaUnderRoc, double areaUnderPr, double logLoss, double accuracy, long rows,
                        double[] histogram) {
    public double get(String metric) {
      return switch (Metric.named(metric)) {
        case AREA_UNDER_ROC -> areaUnderRoc;
        case AREA_UNDER_PR -> areaUnderPr;
        case LOG_LOSS -> logLoss;
        case ACCURACY -> accuracy;
        default -> throw new IllegalArgumentException("Cannot read " + metric + " from held-out metrics: they have "
            + "areaUnderROC, areaUnderPR, logLoss and accuracy");
      };
    }

    /** The metrics by name, with the rows they are computed on. */
    public Map<String, Double> byName() {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put(Metric.AREA_UNDER_ROC.id(), areaUnderRoc);
      metrics.put(Metric.AREA_UNDER_PR.id(), areaUnderPr);
      metrics.put(Metric.LOG_LOSS.id(), logLoss);
      metrics.put(Metric.ACCURACY.id(), accuracy);
      metrics.put(Metric.ROWS.id(), (double) rows);
      return metrics;
    }
  }

  public static Metrics[] evaluate(TrainingBlocks data, List<MultiModelLogisticRegression.Fit> fits) {
    int models = fits.size();
    double[] sums = OrderedSums.of(data.rdd(), models * STRIDE, (acc, block) -> accumulate(acc, block, fits));
    Metrics[] metrics = new Metrics[models];
    for (int k = 0; k < models; k++) {
      metrics[k] = summarise(sums, k * STRIDE);
    }
    return metrics;
  }

  /**
   * The binary metrics of scored rows in one pass: {@code probability} is the positive class's probability
   * column (a double), {@code label} the 0/1 label.
   */
  public static Metrics ofScores(Dataset<Row> scored, String probability, String label) {
    double[] sums = OrderedSums.of(scored.select(probability, label).javaRDD(), STRIDE, (acc, row) -> {
      add(acc, 0, RankingAreas.logOdds(row.getDouble(0)), row.getDouble(1));
      return acc;
    });
    return summarise(sums, 0);
  }

  /** What the decisions of a threshold are worth, from its true positives, false positives and false negatives. */
  @FunctionalInterface
  public interface DecisionValue {
    double of(double truePositives, double falsePositives, double falseNegatives);
  }

  /**
   * The probability threshold that maximises {@code value(tp, fp, fn)} over the summed histograms of
   * {@code metrics} (e.g. the chosen model's validation folds): every bin edge is tried.
   */
  public static double bestThreshold(List<Metrics> metrics, DecisionValue value) {
    double[] negatives = new double[BINS];
    double[] positives = new double[BINS];
    for (Metrics m : metrics) {
      for (int b = 0; b < BINS; b++) {
        negatives[b] += m.histogram()[b];
        positives[b] += m.histogram()[BINS + b];
      }
    }
    double allPositives = Arrays.stream(positives).sum();
    double tp = 0;
    double fp = 0;
    int best = BINS;
    double bestValue = value.of(0, 0, allPositives);
    for (int edge = BINS - 1; edge >= 0; edge--) {
      tp += positives[edge];
      fp += negatives[edge];
      double v = value.of(tp, fp, allPositives - tp);
      if (v > bestValue) {
        bestValue = v;
        best = edge;
      }
    }
    return RankingAreas.lowerEdge(best);
  }

  private static void add(double[] acc, int o, double margin, double y) {
    int bin = RankingAreas.bin(margin);
    acc[o + (y > 0.5 ? BINS + bin : bin)] += 1;
    acc[o + 2 * BINS] += MultiModelLogisticRegression.logLoss(margin, y);
    acc[o + 2 * BINS + 1] += (margin >= 0) == (y > 0.5) ? 1 : 0;
    acc[o + 2 * BINS + 2] += 1;
  }

  private static double[] accumulate(double[] acc, TrainingBlocks.Block block,
                                     List<MultiModelLogisticRegression.Fit> fits) {
    for (int i = 0; i < block.size; i++) {
      for (int k = 0; k < fits.size(); k++) {
        MultiModelLogisticRegression.Fit fit = fits.get(k);
        if (fit.spec().heldOutFold() != block.fold[i]) {
          continue;
        }
        add(acc, k * STRIDE, fit.margin(block.index, block.value, block.start[i], block.start[i + 1]),
            block.label[i]);
      }
    }
    return acc;
  }

  /** One model's metrics from its slice of the sums: the histogram, log loss, hits and rows. */
  private static Metrics summarise(double[] sums, int o) {
    RankingAreas.Areas areas = RankingAreas.of(Arrays.copyOfRange(sums, o, o + BINS),
        Arrays.copyOfRange(sums, o + BINS, o + 2 * BINS));
    double rows = sums[o + 2 * BINS + 2];
    return new Metrics(areas.roc(), areas.pr(), sums[o + 2 * BINS] / rows, sums[o + 2 * BINS + 1] / rows, (long) rows,
        Arrays.copyOfRange(sums, o, o + 2 * BINS));
  }
}
