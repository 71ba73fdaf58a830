package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The candidate's confusion matrix on the evaluation rows: a binary model's at its decision threshold, a
 * multiclass model's per class (evaluate records each cell as {@code label_<i>_predicted_<j>}, by class index).
 */
final class ConfusionSection {
  private static final String TITLE = "Confusion matrix";
  private static final Pattern CELL = Pattern.compile("label_(-?\\d+)_predicted_(-?\\d+)");

  private ConfusionSection() {}

  static ReportSection build(ReportData data) {
    if (data.task() == Task.REGRESSION) {
      return section(List.of(EvaluationMetricsView.notForTask(data, "A confusion matrix",
          "applies to classifiers, whose predictions are classes")));
    }
    Map<String, Double> counts = data.evaluationMetrics().map(m -> EvaluationMetricsView.values(m, "confusion"))
        .orElse(Map.of());
    if (counts.isEmpty()) {
      return section(List.of(EvaluationMetricsView.missing(data, "the confusion matrix")));
    }
    return section(data.task() == Task.BINARY ? binary(data, counts) : perClass(data, counts));
  }

  private static ReportSection section(List<ReportBlock> blocks) {
    return new ReportSection(Chapter.EVALUATION, "confusion", TITLE, blocks);
  }

  private static List<ReportBlock> binary(ReportData data, Map<String, Double> counts) {
    double tp = counts.getOrDefault("tp", 0.0);
    double fp = counts.getOrDefault("fp", 0.0);
    double tn = counts.getOrDefault("tn", 0.0);
    double fn = counts.getOrDefault("fn", 0.0);
    Double threshold = EvaluationMetricsView.values(data.evaluationMetrics().get(), "evaluation")
        .get(Metric.THRESHOLD.id());
    Frame matrix = Frame.of(List.of("actual", "predicted positive", "predicted negative"), List.of(
        List.of("positive", tp, fn), List.of("negative", fp, tn)));
    Double[][] cells = {{tp, fn}, {fp, tn}};
    return List.of(
        new ReportBlock.Text("Rows of the evaluation set by actual and predicted class at threshold "
            + Cells.format(threshold) + "."),
        new ReportBlock.Table(TITLE, EvaluationMetricsView.SOURCE, matrix),
        ChartRenderer.heatMap("Confusion matrix (rows)", EvaluationMetricsView.SOURCE,
            List.of("predicted positive", "predicted negative"), List.of("actual positive", "actual negative"),
            cells));
  }

  /** Actual class by predicted class, every class that occurs on either side, in index order. */
  private static List<ReportBlock> perClass(ReportData data, Map<String, Double> counts) {
    Map<Integer, Map<Integer, Double>> matrix = new TreeMap<>();
    TreeSet<Integer> indexes = new TreeSet<>();
    counts.forEach((name, rows) -> {
      Matcher cell = CELL.matcher(name);
      if (cell.matches()) {
        int label = Integer.parseInt(cell.group(1));
        int predicted = Integer.parseInt(cell.group(2));
        matrix.computeIfAbsent(label, l -> new TreeMap<>()).merge(predicted, rows, Double::sum);
        indexes.add(label);
        indexes.add(predicted);
      }
    });
    List<String> names = indexes.stream().map(i -> className(data.classes(), i)).toList();
    List<String> columns = new ArrayList<>(List.of("actual"));
    names.forEach(n -> columns.add("predicted " + n));
    columns.add("rows");
    List<List<Object>> rows = new ArrayList<>();
    Double[][] cells = new Double[indexes.size()][indexes.size()];
    int r = 0;
    for (int label : indexes) {
      List<Object> row = new ArrayList<>(List.of(names.get(r)));
      double total = 0;
      int c = 0;
      for (int predicted : indexes) {
        double value = matrix.getOrDefault(label, Map.of()).getOrDefault(predicted, 0.0);
        row.add(value);
        cells[r][c++] = value;
        total += value;
      }
      row.add(total);
      rows.add(row);
      r++;
    }
    return List.of(
        new ReportBlock.Text("Rows of the evaluation set by actual class (rows) and predicted class (columns) for "
            + names.size() + " classes; the diagonal holds the rows predicted right."),
        new ReportBlock.Table(TITLE, EvaluationMetricsView.SOURCE, Frame.of(columns, rows)),
        ChartRenderer.heatMap("Confusion matrix (rows)", EvaluationMetricsView.SOURCE,
            names.stream().map(n -> "predicted " + n).toList(), names.stream().map(n -> "actual " + n).toList(),
            cells));
  }

  /** The class's name from the model's class map; index -1 is a label no class has. */
  private static String className(List<String> classes, int index) {
    return index >= 0 && index < classes.size() ? classes.get(index)
        : index < 0 ? "(no class)" : "class " + index;
  }
}
