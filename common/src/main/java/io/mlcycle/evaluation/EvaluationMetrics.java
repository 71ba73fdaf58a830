package io.mlcycle.evaluation;

import io.mlcycle.metrics.ClassCounts;
import io.mlcycle.metrics.ErrorSums;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.RankingAreas;
import io.mlcycle.metrics.Task;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Metrics of one model from {@link Cell}s, optionally reweighted (a bootstrap replicate). Binary ranking
 * metrics come from {@link RankingAreas} over the cells' score bins (the areas training and monitoring
 * report for the same scores); threshold metrics, log loss and Brier score are exact.
 */
public final class EvaluationMetrics {
  /** Which model of a paired cell: the candidate ({@code a}, first sums) or the champion ({@code b}). */
  public enum Side { CANDIDATE, CHAMPION }

  private static final int BINS = RankingAreas.BINS;

  private EvaluationMetrics() {}

  /** The gateable metrics of a task: those evaluation computes for it. */
  public static Set<Metric> gateable(Task task) {
    return switch (task) {
      case BINARY -> Set.of(Metric.AREA_UNDER_ROC, Metric.AREA_UNDER_PR, Metric.LOG_LOSS, Metric.BRIER,
          Metric.ACCURACY, Metric.PRECISION, Metric.RECALL, Metric.F1, Metric.BUSINESS_VALUE);
      case MULTICLASS -> Set.of(Metric.ACCURACY, Metric.MACRO_F1, Metric.WEIGHTED_F1, Metric.LOG_LOSS);
      case REGRESSION -> Set.of(Metric.RMSE, Metric.MAE, Metric.R2);
    };
  }

  /** The names of the gateable metrics of a task. */
  public static Set<String> names(Task task) {
    return Metric.ids(gateable(task).toArray(Metric[]::new));
  }

  /** Whether larger values of a gateable metric are better ({@link Metric#largerIsBetter}). */
  public static boolean largerIsBetter(String metric) {
    return Metric.largerIsBetter(metric);
  }

  /**
   * The metrics of one side over {@code cells}; {@code weights} (one per cell, null = all 1) multiply each
   * cell's rows and sums.
   */
  public static Map<String, Double> of(Task task, List<Cell> cells, double[] weights, Side side,
                                       EvaluationSpec.Business business) {
    return switch (task) {
      case BINARY -> binary(histogram(cells, weights, side), business);
      case MULTICLASS -> multiclass(cells, weights, side);
      case REGRESSION -> regression(cells, weights, side);
    };
  }

  /**
   * The counts of negatives and positives per score bin of one side, the counts at the threshold, and the
   * loss sums.
   */
  record Histogram(double[] negatives, double[] positives, double truePositives, double falsePositives,
                   double logLoss, double brier, double rows, double[] reliabilityPredicted,
                   double[] reliabilityObserved, double[] reliabilityRows) {}

  static Histogram histogram(List<Cell> cells, double[] weights, Side side) {
    double[] neg = new double[BINS];
    double[] pos = new double[BINS];
    double[] relPredicted = new double[10];
    double[] relObserved = new double[10];
    double[] relRows = new double[10];
    double tp = 0;
    double fp = 0;
    double logLoss = 0;
    double brier = 0;
    double rows = 0;
    int offset = side == Side.CANDIDATE ? 0 : 3;
    for (int i = 0; i < cells.size(); i++) {
      Cell cell = cells.get(i);
      double w = weights == null ? 1 : weights[i];
      if (w == 0 || cell.n() == 0) {
        continue;
      }
      int key = side == Side.CANDIDATE ? cell.a() : cell.b();
      double n = cell.n() * w;
      (cell.y() == 1 ? pos : neg)[EvaluationCells.scoreBin(key)] += n;
      if (EvaluationCells.reaches(key)) {
        tp += cell.y() == 1 ? n : 0;
        fp += cell.y() == 1 ? 0 : n;
      }
      logLoss += cell.sums()[offset + 1] * w;
      brier += cell.sums()[offset + 2] * w;
      rows += n;
      double meanProbability = cell.sums()[offset] / cell.n();
      int r = Math.min(9, (int) Math.floor(meanProbability * 10));
      relPredicted[r] += cell.sums()[offset] * w;
      relObserved[r] += cell.y() == 1 ? n : 0;
      relRows[r] += n;
    }
    return new Histogram(neg, pos, tp, fp, logLoss, brier, rows, relPredicted, relObserved, relRows);
  }

  private static Map<String, Double> binary(Histogram h, EvaluationSpec.Business business) {
    double positives = 0;
    double negatives = 0;
    for (int b = 0; b < BINS; b++) {
      positives += h.positives()[b];
      negatives += h.negatives()[b];
    }
    double tp = h.truePositives();
    double fp = h.falsePositives();
    double fn = positives - tp;
    double tn = negatives - fp;
    RankingAreas.Areas areas = RankingAreas.of(h.negatives(), h.positives());
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(Metric.AREA_UNDER_ROC.id(), areas.roc());
    metrics.put(Metric.AREA_UNDER_PR.id(), areas.pr());
    metrics.put(Metric.LOG_LOSS.id(), h.logLoss() / h.rows());
    metrics.put(Metric.BRIER.id(), h.brier() / h.rows());
    metrics.put(Metric.ACCURACY.id(), (tp + tn) / h.rows());
    double precision = tp + fp == 0 ? 0 : tp / (tp + fp);
    double recall = positives == 0 ? 0 : tp / positives;
    metrics.put(Metric.PRECISION.id(), precision);
    metrics.put(Metric.RECALL.id(), recall);
    metrics.put(Metric.F1.id(), f1(precision, recall));
    if (business.configured()) {
      metrics.put(Metric.BUSINESS_VALUE.id(), business.perRow(tp, fp, fn, h.rows()));
    }
    metrics.put(Metric.ROWS.id(), h.rows());
    return metrics;
  }

  private static double f1(double precision, double recall) {
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }

  /** Points of the ROC curve (fpr, tpr) and the PR curve (recall, precision), at most about 100 each. */
  public record Curves(List<double[]> roc, List<double[]> pr) {}

  public static Curves curves(List<Cell> cells, Side side) {
    Histogram h = histogram(cells, null, side);
    double positives = 0;
    double negatives = 0;
    for (int b = 0; b < BINS; b++) {
      positives += h.positives()[b];
      negatives += h.negatives()[b];
    }
    List<double[]> roc = new ArrayList<>(List.of(new double[] {0, 0}));
    List<double[]> pr = new ArrayList<>();
    double tp = 0;
    double fp = 0;
    double step = (positives + negatives) / 100;
    double next = step;
    for (int b = BINS - 1; b >= 0; b--) {
      tp += h.positives()[b];
      fp += h.negatives()[b];
      if (tp + fp >= next || b == 0) {
        roc.add(new double[] {negatives == 0 ? 0 : fp / negatives, positives == 0 ? 0 : tp / positives});
        if (tp + fp > 0) {
          pr.add(new double[] {positives == 0 ? 0 : tp / positives, tp / (tp + fp)});
        }
        next = tp + fp + step;
      }
    }
    return new Curves(roc, pr);
  }

  /** Reliability bins (10 equal-width probability bins): mean predicted probability, observed rate, rows. */
  public static List<double[]> reliability(List<Cell> cells, Side side) {
    Histogram h = histogram(cells, null, side);
    List<double[]> bins = new ArrayList<>();
    for (int r = 0; r < 10; r++) {
      double rows = h.reliabilityRows()[r];
      bins.add(new double[] {rows == 0 ? Double.NaN : h.reliabilityPredicted()[r] / rows,
          rows == 0 ? Double.NaN : h.reliabilityObserved()[r] / rows, rows});
    }
    return bins;
  }

  /** The confusion matrix as label → predicted → rows (binary: at the threshold; 1 = positive). */
  public static Map<Integer, Map<Integer, Double>> confusion(Task task, List<Cell> cells, Side side) {
    Map<Integer, Map<Integer, Double>> matrix = new TreeMap<>();
    for (Cell cell : cells) {
      int key = side == Side.CANDIDATE ? cell.a() : cell.b();
      int predicted = task == Task.BINARY ? (EvaluationCells.reaches(key) ? 1 : 0) : key;
      matrix.computeIfAbsent(cell.y(), y -> new TreeMap<>()).merge(predicted, (double) cell.n(), Double::sum);
    }
    return matrix;
  }

  /**
   * Accuracy, macro and weighted F1 and log loss by the one multiclass kernel ({@link ClassCounts}). The log
   * loss is over the rows whose label is a class of the model (a class it never saw has no probability).
   */
  private static Map<String, Double> multiclass(List<Cell> cells, double[] weights, Side side) {
    ClassCounts counts = new ClassCounts();
    int offset = side == Side.CANDIDATE ? 0 : 1;
    double loss = 0;
    double rowsWithLoss = 0;
    for (int i = 0; i < cells.size(); i++) {
      Cell cell = cells.get(i);
      double w = weights == null ? 1 : weights[i];
      counts.add(cell.y(), side == Side.CANDIDATE ? cell.a() : cell.b(), cell.n() * w);
      loss += cell.sums()[offset] * w;
      rowsWithLoss += cell.sums()[offset + 2] * w;
    }
    return counts.addLogLoss(loss, rowsWithLoss).metrics();
  }

  /**
   * RMSE, MAE and R² by the one regression kernel ({@link ErrorSums}). The cells do not sum the residual
   * itself, so the mean residual (which no gate reads) is left out.
   */
  private static Map<String, Double> regression(List<Cell> cells, double[] weights, Side side) {
    int offset = side == Side.CANDIDATE ? 0 : 2;
    ErrorSums sums = ErrorSums.NONE;
    for (int i = 0; i < cells.size(); i++) {
      Cell cell = cells.get(i);
      double w = weights == null ? 1 : weights[i];
      sums = sums.plus(new ErrorSums(cell.n() * w, cell.sums()[offset] * w, cell.sums()[offset + 1] * w, 0,
          cell.sums()[4] * w, cell.sums()[5] * w));
    }
    Map<String, Double> metrics = sums.metrics();
    metrics.remove(Metric.MEAN_RESIDUAL.id());
    return metrics;
  }
}
