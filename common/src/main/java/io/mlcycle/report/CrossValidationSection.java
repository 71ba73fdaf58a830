package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The cross-validation of the run: the metric per grid point and fold, mean and spread, and the choice. */
final class CrossValidationSection {
  private static final String SOURCE = "_mlcycle/metrics, _mlcycle/params";

  private CrossValidationSection() {}

  static ReportSection build(ReportData data) {
    List<ReportBlock> blocks = new ArrayList<>();
    Frame folds = data.trainingMetrics().map(m -> m.where("scope", "fold")).orElse(null);
    if (folds == null || folds.isEmpty()) {
      blocks.add(new ReportBlock.Missing("the cross-validation results of run " + data.subject().runId()
          + " (_mlcycle/metrics)", "mlcycle train"));
      return new ReportSection(Chapter.TRAINING, "cv", "Cross-validation", blocks);
    }
    Map<String, String> params = params(data);
    String metric = Frame.text(folds.rows().get(0), "name");
    Frame metrics = data.trainingMetrics().get();
    List<Integer> points = folds.rows().stream().map(r -> (Integer) r.get("grid_point")).distinct().sorted().toList();
    List<Integer> foldIds = folds.rows().stream().map(r -> (Integer) r.get("fold")).distinct().sorted().toList();
    int chosen = chosen(metrics, points, metric);

    List<String> columns = new ArrayList<>(List.of("grid_point"));
    foldIds.forEach(f -> columns.add("fold " + f));
    columns.addAll(List.of("mean", "std", "chosen"));
    List<List<Object>> rows = new ArrayList<>();
    List<String> categories = new ArrayList<>();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (int point : points) {
      List<Object> row = new ArrayList<>(List.of(point));
      for (int fold : foldIds) {
        double value = value(folds, point, fold);
        row.add(value);
        series.computeIfAbsent("fold " + fold, f -> new ArrayList<>()).add(value);
      }
      double mean = value(metrics.where("scope", "cv_mean"), point, -1);
      row.addAll(List.of(mean, value(metrics.where("scope", "cv_std"), point, -1), point == chosen ? "chosen" : ""));
      series.computeIfAbsent("mean", f -> new ArrayList<>()).add(mean);
      rows.add(row);
      categories.add("grid point " + point);
    }
    blocks.add(new ReportBlock.Text(foldIds.size() + "-fold cross-validation of "
        + params.getOrDefault("algorithm", "the model") + " (" + data.task().id() + ") scored by " + metric + " ("
        + (Metric.largerIsBetter(metric) ? "higher" : "lower") + " is better) over the grid "
        + params.getOrDefault("grid", "?") + "; grid points are in the grid's order. Chosen: " + chosenParams(params)
        + "."));
    blocks.add(new ReportBlock.Table(metric + " per grid point and fold", SOURCE, Frame.of(columns, rows)));
    blocks.add(ChartRenderer.categoryLines(metric + " per grid point and fold", SOURCE, "grid point", metric,
        categories, series));
    return new ReportSection(Chapter.TRAINING, "cv", "Cross-validation", blocks);
  }

  static Map<String, String> params(ReportData data) {
    Map<String, String> params = new LinkedHashMap<>();
    data.params().ifPresent(p -> p.rows().forEach(r -> params.put(Frame.text(r, "name"), Frame.text(r, "value"))));
    return params;
  }

  private static String chosenParams(Map<String, String> params) {
    List<String> chosen = new ArrayList<>();
    params.forEach((name, value) -> {
      if (name.startsWith("chosen.")) {
        chosen.add(name.substring("chosen.".length()) + " = " + value);
      }
    });
    return chosen.isEmpty() ? "the only grid point" : String.join(", ", chosen);
  }

  /** The grid point with the best CV mean, as training chose it. */
  private static int chosen(Frame metrics, List<Integer> points, String metric) {
    int best = points.get(0);
    double bestValue = Double.NaN;
    for (int point : points) {
      double mean = value(metrics.where("scope", "cv_mean"), point, -1);
      boolean better = Metric.largerIsBetter(metric) ? mean > bestValue : mean < bestValue;
      if (Double.isNaN(bestValue) || better) {
        best = point;
        bestValue = mean;
      }
    }
    return best;
  }

  private static double value(Frame metrics, int point, int fold) {
    return metrics.rows().stream()
        .filter(r -> Integer.valueOf(point).equals(r.get("grid_point")) && Integer.valueOf(fold).equals(r.get("fold")))
        .mapToDouble(r -> Frame.number(r, "value")).findFirst().orElse(Double.NaN);
  }
}
