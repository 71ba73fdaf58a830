package io.mlcycle.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The sections over the tables that evaluate, promote, monitor and retrain write, given rows with the
 * columns of the table contract: each draws its charts and tables, and none says "not available yet".
 * (The sections over ingest to train run on real tables in the jobs module's ReportJobTest.)
 */
class ReportSectionsTest {
  private static final Set<String> CONTRACT_SECTIONS = Set.of("holdout", "curves", "confusion", "calibration",
      "slices", "gates", "registry", "drift", "performance", "decisions");

  @Test
  void everyContractSectionDrawsItsTablesAndCharts() throws IOException {
    Report report = Report.of(data());
    for (ReportSection section : report.sections()) {
      if (!CONTRACT_SECTIONS.contains(section.id())) {
        continue;
      }
      assertFalse(section.blocks().stream().anyMatch(b -> b instanceof ReportBlock.Missing),
          section.id() + ": " + section.blocks());
      for (ReportBlock block : section.blocks()) {
        if (block instanceof ReportBlock.Chart chart) {
          BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
          assertEquals(chart.width(), image.getWidth(), chart.caption());
          assertTrue(image.getHeight() > 100, chart.caption());
        }
      }
    }
    String html = HtmlReport.render(report);
    assertTrue(html.contains("Decision: NO-GO (mode enforce; 1 of 2 gates failed; champion version 1)"), html);
    assertTrue(html.contains("origin=ATL") && html.contains("ROC curve") && html.contains("Reliability diagram"));
    assertTrue(html.contains("Version held per alias") && html.contains("PSI per feature and batch"));
    assertTrue(html.contains("areaUnderROC per batch by role") && html.contains("drift in 2 features"));
    assertTrue(html.contains("registry flights v2 (no-go)"), "the lineage chain reaches the registry");
    assertTrue(html.contains("Reproductions of flights") && html.contains("identical"), "the reproduction verdicts");
  }

  @Test
  void sectionsWithoutTheirTablesSayWhichJobMakesThem() {
    ReportData nothing = new ReportData(subject(Optional.empty()), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    for (ReportSection section : Report.of(nothing).sections()) {
      assertTrue(section.blocks().stream().anyMatch(b -> b instanceof ReportBlock.Missing m
          && m.message().startsWith("Not available yet: ") && m.job().startsWith("mlcycle ")), section.id());
    }
  }

  private static ReportSubject subject(Optional<String> evaluation) {
    return new ReportSubject("flights", "flights", "train-2", evaluation, "mlcycle-data",
        Instant.parse("2001-07-01T00:00:00Z"));
  }

  private static ReportData data() {
    return new ReportData(subject(Optional.of("eval-2")), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(frame(List.of("scope", "grid_point", "fold", "name", "value"),
            row("holdout", -1, -1, "areaUnderROC", 0.67))),
        Optional.empty(), Optional.empty(), Optional.of(evaluationMetrics()), Optional.of(gates()),
        Optional.of(frame(List.of("version", "run_id", "registered_at", "registered_by", "decision",
            "evaluation_run_id"), row(1, "train-1", at(1), "ci", "go", "eval-1"),
            row(2, "train-2", at(2), "ci", "no-go", "eval-2"))),
        Optional.of(frame(List.of("seq", "moved_at", "alias", "version", "previous_version", "moved_by", "reason",
            "run_id"), row(1L, at(1), "champion", 1, null, "ci", "first", "p-1"),
            row(2L, at(2), "challenger", 2, null, "ci", "canary", "p-2"),
            row(3L, at(3), "challenger", null, 2, "ci", "rolled back", "p-3"))),
        Optional.of(drift()), Optional.of(performance()),
        Optional.of(frame(List.of("decided_at", "decision", "triggered", "reason", "run_id"),
            row(at(4), "retrain", true, "drift in 2 features", "r-4"))),
        Optional.of(frame(List.of("kind", "name", "value"), row("table", "features/flights", "3"),
            row("hash", "config", "abcdef0123456789"))),
        Optional.empty(),
        Optional.of(frame(List.of("version", "run_id", "reproduced_at", "verdict", "differing", "feature_rows",
            "warnings"), row(2, "train-2", at(5), "identical", "", "features/flights version 3", ""))));
  }

  private static Frame evaluationMetrics() {
    List<List<Object>> rows = new ArrayList<>();
    for (String[] m : new String[][] {{"areaUnderROC", "0.67", "0.66"}, {"areaUnderPR", "0.34", "0.33"},
        {"threshold", "0.5", "0.5"}, {"rows", "1000", "1000"}}) {
      rows.add(row("evaluation", -1, -1, m[0], Double.parseDouble(m[1])));
      rows.add(row("champion", -1, -1, m[0], Double.parseDouble(m[2])));
    }
    rows.add(row("difference", -1, -1, "areaUnderROC", 0.01));
    rows.add(row("difference", -1, -1, "areaUnderROC.ci_low", -0.005));
    rows.add(row("difference", -1, -1, "areaUnderROC.ci_high", 0.025));
    for (int i = 0; i <= 10; i++) {
      double x = i / 10.0;
      rows.add(row("roc", i, -1, "fpr", x));
      rows.add(row("roc", i, -1, "tpr", Math.sqrt(x)));
      rows.add(row("pr", i, -1, "recall", x));
      rows.add(row("pr", i, -1, "precision", 1 - 0.6 * x));
      rows.add(row("reliability", i, -1, "mean_predicted", x));
      rows.add(row("reliability", i, -1, "observed", Math.min(1, x * 1.1)));
      rows.add(row("reliability", i, -1, "rows", 90.0));
    }
    for (String[] c : new String[][] {{"tp", "120"}, {"fp", "80"}, {"tn", "700"}, {"fn", "100"}}) {
      rows.add(row("confusion", -1, -1, c[0], Double.parseDouble(c[1])));
    }
    for (String slice : List.of("origin=ATL", "origin=ORD")) {
      rows.add(row("slice:" + slice, -1, -1, "areaUnderROC", 0.65));
      rows.add(row("slice:" + slice, -1, -1, "rows", 300.0));
    }
    return Frame.of(List.of("scope", "grid_point", "fold", "name", "value"), rows);
  }

  private static Frame gates() {
    List<String> columns = List.of("evaluation_run_id", "candidate_run_id", "model", "champion_version", "gate",
        "metric", "slice", "value", "threshold", "passed", "mode", "decision", "evaluated_at");
    return frame(columns,
        row("eval-2", "train-2", "flights", 1, "min-auc", "areaUnderROC", null, 0.67, 0.6, true, "enforce", "no-go",
            at(2)),
        row("eval-2", "train-2", "flights", 1, "slice-auc", "areaUnderROC", "origin=ATL", 0.55, 0.6, false, "enforce",
            "no-go", at(2)));
  }

  private static Frame drift() {
    List<List<Object>> rows = new ArrayList<>();
    for (String batch : List.of("2001-05", "2001-06")) {
      for (String feature : List.of("hour", "origin", "log_distance")) {
        double psi = batch.equals("2001-06") && !feature.equals("hour") ? 0.3 : 0.02;
        rows.add(row(1, batch, feature, psi, 0.1, 3.0, 0.01, psi > 0.2));
      }
    }
    return Frame.of(List.of("model_version", "batch_id", "feature", "psi", "ks", "chi2", "js", "drifted"), rows);
  }

  private static Frame performance() {
    List<List<Object>> rows = new ArrayList<>();
    for (String batch : List.of("2001-05", "2001-06")) {
      rows.add(row(batch, "champion", 1, "areaUnderROC", 0.66, 1000L));
      rows.add(row(batch, "challenger", 2, "areaUnderROC", 0.68, 100L));
    }
    return Frame.of(List.of("batch_id", "role", "model_version", "metric", "value", "labelled_rows"), rows);
  }

  private static Timestamp at(int day) {
    return Timestamp.from(Instant.parse("2001-07-01T00:00:00Z").plusSeconds(86_400L * day));
  }

  @SafeVarargs
  private static Frame frame(List<String> columns, List<Object>... rows) {
    return Frame.of(columns, Arrays.asList(rows));
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
