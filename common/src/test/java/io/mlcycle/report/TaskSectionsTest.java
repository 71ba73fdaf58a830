package io.mlcycle.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The report of a multiclass and of a regression model, from rows with the columns evaluate, train and
 * monitor write for those tasks: every section speaks of the task's metrics, none charts or tabulates a
 * binary one, and the binary-only sections say that they apply to binary models instead of asking for a
 * job that would never fill them.
 */
class TaskSectionsTest {
  private static final Set<String> BINARY_WORDS = Set.of("areaUnderROC", "areaUnderPR", "ROC AUC", "positive",
      "brier", "Reliability");
  /** The sections over training, evaluate, monitor and retrain, whose rows these tests give. */
  private static final Set<String> GIVEN = Set.of("cv", "holdout", "weights", "curves", "confusion", "calibration",
      "slices", "gates", "drift", "performance", "decisions");

  @Test
  void aMulticlassReportShowsItsClassesAndItsMetrics() {
    Report report = Report.of(multiclass());

    assertNotForTask(report, "curves", "ROC and precision-recall curves apply to binary models");
    assertNotForTask(report, "calibration", "The reliability diagram applies to binary models");
    assertTrue(text(report, "curves").contains("this is a multiclass model, whose evaluation metrics (macroF1, "
        + "logLoss, accuracy, weightedF1) are under Holdout metrics"), text(report, "curves"));

    Frame confusion = table(report, "confusion", "Confusion matrix");
    assertEquals(List.of("actual", "predicted setosa", "predicted versicolor", "predicted virginica", "rows"),
        confusion.columns());
    assertEquals(Arrays.asList("versicolor", 2.0, 40.0, 8.0, 50.0), List.copyOf(confusion.rows().get(1).values()));
    assertEquals(List.of("Confusion matrix (rows)"), charts(report, "confusion"));

    assertEquals(List.of("macroF1 per slice"), charts(report, "slices"), "the selection metric per slice");
    assertEquals(List.of("slice", "rows", "macroF1", "accuracy", "weightedF1"),
        table(report, "slices", "Metrics per slice").columns());

    assertEquals(List.of("macroF1 per batch by role", "logLoss per batch by role", "accuracy per batch by role",
        "weightedF1 per batch by role", "unseen_labels per batch by role"), charts(report, "performance"),
        "the selection metric first, then the task's realised metrics in the vocabulary's order");
    Frame realised = table(report, "performance", "Realised performance");
    assertEquals(List.of("batch_id", "role", "model_version", "labelled_rows", "coverage", "macroF1", "logLoss",
        "accuracy", "weightedF1", "unseen_labels"), realised.columns());
    assertEquals(2, realised.rows().size(), "one row per batch and role; the unmatched labels are no role");
    assertEquals("origin=ATL", Frame.text(table(report, "performance", "Worst slices per batch").rows().get(0),
        "slice"));
    assertTrue(text(report, "performance").contains("3 labels matched no prediction"), text(report, "performance"));

    assertEquals(List.of("feature", "setosa", "versicolor", "virginica"),
        table(report, "weights", "Largest coefficients per class").columns());
    assertEquals(List.of("_num_petal_length", "_num_sepal_width"),
        table(report, "weights", "Largest coefficients per class").distinct("feature"), "largest over the classes first");
    assertTrue(text(report, "weights").contains("runs for binary models only"), text(report, "weights"));
    assertTrue(text(report, "drift").contains("the predicted class's probability"), text(report, "drift"));
    assertTrue(text(report, "holdout").contains("A multiclass model (its grid point chosen by macroF1)"));

    assertNoBinaryChartOrColumn(report);
  }

  @Test
  void aRegressionReportShowsItsErrorsAndNoClasses() {
    Report report = Report.of(regression());

    assertNotForTask(report, "curves", "ROC and precision-recall curves apply to binary models");
    assertNotForTask(report, "calibration", "The reliability diagram applies to binary models");
    assertNotForTask(report, "confusion", "A confusion matrix applies to classifiers");
    assertTrue(text(report, "confusion").contains("this is a regression model, whose evaluation metrics (rmse, "
        + "mae, r2) are under Holdout metrics"), text(report, "confusion"));

    assertEquals(List.of("rmse per slice"), charts(report, "slices"));
    assertEquals(List.of("rmse per batch by role", "mae per batch by role", "r2 per batch by role",
        "mean_residual per batch by role"), charts(report, "performance"), "the residual drift among them");
    Frame holdout = table(report, "holdout", "Candidate against champion");
    assertEquals(List.of("rmse", "mae", "r2", "rows"), holdout.distinct("metric"));
    assertEquals("regression: root mean squared error (ErrorSums)", Frame.text(holdout.rows().get(0), "meaning"));
    assertEquals(List.of("feature", "weight", "kind"), table(report, "weights", "Largest coefficients").columns());
    assertTrue(text(report, "drift").contains("realised residual_psi (and its bias mean_residual) per batch"),
        text(report, "drift"));
    assertTrue(text(report, "cv").contains("scored by rmse (lower is better)"), text(report, "cv"));

    assertNoBinaryChartOrColumn(report);
  }

  private static void assertNotForTask(Report report, String section, String statement) {
    List<ReportBlock> blocks = section(report, section).blocks();
    assertEquals(1, blocks.size(), section + ": " + blocks);
    assertTrue(blocks.get(0) instanceof ReportBlock.Text t && t.text().startsWith(statement), section + ": " + blocks);
  }

  /**
   * No chart, table caption, column or cell names a binary metric, and no section over the given rows asks for
   * a job to run.
   */
  private static void assertNoBinaryChartOrColumn(Report report) {
    for (ReportSection section : report.sections()) {
      for (ReportBlock block : section.blocks()) {
        assertFalse(GIVEN.contains(section.id()) && block instanceof ReportBlock.Missing, section.id() + ": " + block);
        String shown = block instanceof ReportBlock.Chart c ? c.caption()
            : block instanceof ReportBlock.Table t ? t.caption() + " " + t.frame().columns() + " " + t.frame().rows()
            : "";
        for (String word : BINARY_WORDS) {
          assertFalse(shown.contains(word), section.id() + " shows " + word + ": " + shown);
        }
      }
    }
  }

  private static ReportSection section(Report report, String id) {
    return report.sections().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  private static String text(Report report, String id) {
    return section(report, id).blocks().stream().filter(b -> b instanceof ReportBlock.Text)
        .map(b -> ((ReportBlock.Text) b).text()).collect(Collectors.joining("\n"));
  }

  private static List<String> charts(Report report, String id) {
    return section(report, id).blocks().stream().filter(b -> b instanceof ReportBlock.Chart)
        .map(b -> ((ReportBlock.Chart) b).caption()).toList();
  }

  private static Frame table(Report report, String id, String caption) {
    return section(report, id).blocks().stream()
        .filter(b -> b instanceof ReportBlock.Table t && t.caption().equals(caption))
        .map(b -> ((ReportBlock.Table) b).frame()).findFirst()
        .orElseThrow(() -> new AssertionError(id + " has no table " + caption + ": " + section(report, id).blocks()));
  }

  private static ReportData multiclass() {
    List<List<Object>> evaluation = new ArrayList<>();
    for (String[] m : new String[][] {{"accuracy", "0.9"}, {"macroF1", "0.89"}, {"weightedF1", "0.9"},
        {"rows", "150"}}) {
      evaluation.add(row("evaluation", -1, -1, m[0], Double.parseDouble(m[1])));
      evaluation.add(row("champion", -1, -1, m[0], Double.parseDouble(m[1]) - 0.01));
    }
    double[][] confusion = {{50, 0, 0}, {2, 40, 8}, {0, 5, 45}};
    for (int label = 0; label < 3; label++) {
      for (int predicted = 0; predicted < 3; predicted++) {
        evaluation.add(row("confusion", -1, -1, "label_" + label + "_predicted_" + predicted,
            confusion[label][predicted]));
      }
    }
    for (String slice : List.of("site=north", "site=south")) {
      evaluation.add(row("slice:" + slice, -1, -1, "accuracy", 0.9));
      evaluation.add(row("slice:" + slice, -1, -1, "macroF1", 0.88));
      evaluation.add(row("slice:" + slice, -1, -1, "weightedF1", 0.9));
      evaluation.add(row("slice:" + slice, -1, -1, "rows", 75.0));
    }
    List<List<Object>> performance = new ArrayList<>();
    for (String[] m : new String[][] {{"accuracy", "0.85"}, {"macroF1", "0.8"}, {"weightedF1", "0.84"},
        {"logLoss", "0.4"}, {"unseen_labels", "4"}, {"predicted_rows", "150"}, {"labelled_rows", "150"},
        {"coverage", "1"}}) {
      for (String batch : List.of("2024-02", "2024-03")) {
        performance.add(row(batch, "champion", 1, null, m[0], Double.parseDouble(m[1]), 150L));
      }
    }
    performance.add(row("2024-02", "champion", 1, "origin=ATL", "logLoss", 0.9, 30L));
    performance.add(row("2024-02", "champion", 1, "origin=ATL", "error_rate", 0.3, 30L));
    performance.add(row("2024-02", "all", null, null, "unmatched_labels", 3.0, 0L));
    List<List<Object>> weights = new ArrayList<>();
    String[] classes = {"setosa", "versicolor", "virginica"};
    for (int c = 0; c < 3; c++) {
      weights.add(row("_num_sepal_width", classes[c], 0.5 * (c - 1), "coefficient"));
      weights.add(row("_num_petal_length", classes[c], 2.0 * (1 - c), "coefficient"));
    }
    return data(params("multiclass", "macroF1", "setosa,versicolor,virginica"),
        training("macroF1", Map.of("accuracy", 0.91, "macroF1", 0.9, "weightedF1", 0.91)),
        Frame.of(List.of("feature", "class", "weight", "kind"), weights), frame(evaluation),
        Frame.of(List.of("batch_id", "role", "model_version", "slice", "metric", "value", "labelled_rows"),
            performance));
  }

  private static ReportData regression() {
    List<List<Object>> evaluation = new ArrayList<>();
    for (String[] m : new String[][] {{"rmse", "0.4"}, {"mae", "0.3"}, {"r2", "0.9"}, {"rows", "150"}}) {
      evaluation.add(row("evaluation", -1, -1, m[0], Double.parseDouble(m[1])));
      evaluation.add(row("champion", -1, -1, m[0], Double.parseDouble(m[1]) + 0.02));
    }
    for (String metric : List.of("rmse", "r2")) {
      evaluation.add(row("difference", -1, -1, metric, -0.02));
      evaluation.add(row("difference", -1, -1, metric + ".ci_low", -0.04));
      evaluation.add(row("difference", -1, -1, metric + ".ci_high", 0.0));
    }
    for (String slice : List.of("species=setosa", "species=virginica")) {
      evaluation.add(row("slice:" + slice, -1, -1, "rmse", 0.35));
      evaluation.add(row("slice:" + slice, -1, -1, "mae", 0.25));
      evaluation.add(row("slice:" + slice, -1, -1, "r2", 0.8));
      evaluation.add(row("slice:" + slice, -1, -1, "rows", 75.0));
    }
    List<List<Object>> performance = new ArrayList<>();
    for (String[] m : new String[][] {{"rmse", "0.45"}, {"mae", "0.35"}, {"r2", "0.85"}, {"mean_residual", "0.1"},
        {"labelled_rows", "150"}}) {
      performance.add(row("2024-02", "champion", 1, null, m[0], Double.parseDouble(m[1]), 150L));
    }
    performance.add(row("2024-02", "champion", 1, "species=virginica", "rmse", 0.7, 40L));
    return data(params("regression", "rmse", null), training("rmse", Map.of("rmse", 0.41, "mae", 0.3, "r2", 0.9)),
        Frame.of(List.of("feature", "class", "weight", "kind"), List.of(
            row("_num_sepal_length", null, 0.7, "coefficient"), row("_vec_species_setosa", null, -1.9, "coefficient"))),
        frame(evaluation),
        Frame.of(List.of("batch_id", "role", "model_version", "slice", "metric", "value", "labelled_rows"),
            performance));
  }

  private static Frame params(String task, String metric, String classes) {
    List<List<Object>> rows = new ArrayList<>(List.of(row("task", task), row("metric", metric),
        row("algorithm", "logistic-regression"), row("grid", "{regParam=[0.0, 0.1]}")));
    if (classes != null) {
      rows.add(row("classes", classes));
    }
    return Frame.of(List.of("name", "value"), rows);
  }

  /** Two grid points of three folds scored by {@code metric}, and the holdout metrics. */
  private static Frame training(String metric, Map<String, Double> holdout) {
    List<List<Object>> rows = new ArrayList<>();
    for (int point = 0; point < 2; point++) {
      for (int fold = 0; fold < 3; fold++) {
        rows.add(row("fold", point, fold, metric, 0.5 + 0.1 * point + 0.01 * fold));
      }
      rows.add(row("cv_mean", point, -1, metric, 0.51 + 0.1 * point));
      rows.add(row("cv_std", point, -1, metric, 0.01));
    }
    holdout.forEach((name, value) -> rows.add(row("holdout", -1, -1, name, value)));
    return frame(rows);
  }

  private static ReportData data(Frame params, Frame training, Frame weights, Frame evaluation, Frame performance) {
    ReportSubject subject = new ReportSubject("iris", "iris", "train-2", Optional.of("eval-2"), "mlcycle-data",
        Instant.parse("2024-04-01T00:00:00Z"));
    Frame gates = Frame.of(List.of("evaluation_run_id", "candidate_run_id", "model", "champion_version", "gate",
        "metric", "slice", "value", "threshold", "passed", "mode", "decision", "evaluated_at"),
        List.of(row("eval-2", "train-2", "iris", 1, "min", Frame.text(params.rows().get(1), "value"), null, 0.9, 0.5,
            true, "enforce", "go", at(2))));
    List<List<Object>> drift = new ArrayList<>();
    for (String feature : List.of("sepal_width", "petal_length")) {
      drift.add(row(1, "2024-02", feature, "numeric", 0.05, 0.1, 2.0, 0.01, false));
    }
    drift.add(row(1, "2024-02", "probability", "prediction", 0.3, 0.2, 9.0, 0.05, true));
    return new ReportData(subject, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of(training), Optional.of(params), Optional.of(weights),
        Optional.of(evaluation), Optional.of(gates),
        Optional.of(Frame.of(List.of("version", "run_id", "registered_at", "registered_by", "decision",
            "evaluation_run_id"), List.of(row(1, "train-2", at(2), "ci", "go", "eval-2")))),
        Optional.of(Frame.of(List.of("seq", "moved_at", "alias", "version", "previous_version", "moved_by", "reason",
            "run_id"), List.of(row(1L, at(2), "champion", 1, null, "ci", "first", "p-1")))),
        Optional.of(Frame.of(List.of("model_version", "batch_id", "feature", "kind", "psi", "ks", "chi2", "js",
            "drifted"), drift)),
        Optional.of(performance),
        Optional.of(Frame.of(List.of("decided_at", "decision", "trigger", "triggered", "reason", "run_id"),
            List.of(row(at(3), "retrain", "performance", true, "realised macroF1 0.8 below floor 0.9", "r-3")))),
        Optional.of(Frame.of(List.of("kind", "name", "value"), List.of(row("table", "features/iris", "3")))),
        Optional.empty(), Optional.empty());
  }

  private static Frame frame(List<List<Object>> rows) {
    return Frame.of(List.of("scope", "grid_point", "fold", "name", "value"), rows);
  }

  private static Timestamp at(int day) {
    return Timestamp.from(Instant.parse("2024-04-01T00:00:00Z").plusSeconds(86_400L * day));
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
