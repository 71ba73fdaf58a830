package io.mlcycle.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.evaluation.EvaluationMetrics.Side;
import io.mlcycle.metrics.RankingAreas;
import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Metrics, bootstrap and gates from cells, against values worked out by hand. */
class EvaluationMetricsTest {
  private static final EvaluationSpec.Business BUSINESS = new EvaluationSpec.Business(40, 10, 30);

  /** A binary cell whose models score {@code a} and {@code b} bins above (below, if negative) the threshold. */
  private static Cell binary(int a, int b, int y, long n, double logLoss, double brier) {
    return new Cell(EvaluationCells.ALL, key(a), key(b), y, n,
        new double[] {0.5 * n, logLoss, brier, 0.5 * n, logLoss, brier});
  }

  /** The key of a score {@code offset} bins from a threshold at probability 0.5 (the middle of the grid). */
  private static int key(int offset) {
    return EvaluationCells.binaryKey(RankingAreas.BINS / 2 + offset, offset >= 0);
  }

  /**
   * Four positives and four negatives in two bins either side of the threshold: 3 positives and 1 negative
   * above, 1 and 3 below. AUC = (3·3 wins + 3·1 and 1·3 ties at ½) / 16 = 12/16. At the threshold TP 3, FP 1,
   * FN 1, TN 3. PR walks (recall .75, precision .75) then (1, .5): .75·.75 + .25·(.5+.75)/2 = .71875.
   */
  @Test
  void binaryMetricsMatchTheHandCount() {
    List<Cell> cells = List.of(binary(10, 0, 1, 3, 1.2, 0.6), binary(10, 0, 0, 1, 0.8, 0.2),
        binary(-10, 0, 1, 1, 1.0, 0.4), binary(-10, 0, 0, 3, 1.0, 0.4));
    Map<String, Double> m = EvaluationMetrics.of(Task.BINARY, cells, null, Side.CANDIDATE, BUSINESS);
    assertEquals(0.75, m.get("areaUnderROC"), 1e-12);
    assertEquals(0.71875, m.get("areaUnderPR"), 1e-12);
    assertEquals(0.75, m.get("accuracy"), 1e-12);
    assertEquals(0.75, m.get("precision"), 1e-12);
    assertEquals(0.75, m.get("recall"), 1e-12);
    assertEquals(0.75, m.get("f1"), 1e-12);
    assertEquals(4.0 / 8, m.get("logLoss"), 1e-12);
    assertEquals(1.6 / 8, m.get("brier"), 1e-12);
    assertEquals((40 * 3 - 10 * 1 - 30 * 1) / 8.0, m.get("business_value"), 1e-12, "value per row");
    assertEquals(8, m.get("rows"));
    Map<Integer, Map<Integer, Double>> confusion = EvaluationMetrics.confusion(Task.BINARY, cells, Side.CANDIDATE);
    assertEquals(3.0, confusion.get(1).get(1));
    assertEquals(1.0, confusion.get(0).get(1));
  }

  /** Predicted (a) × actual (y): class 0 P=R=5/6; class 1 P=.75 R=1; class 2 P=1 R=.5. */
  @Test
  void multiclassMetricsMatchTheHandCount() {
    List<Cell> cells = List.of(cell(0, 0, 5), cell(1, 0, 1), cell(1, 1, 3), cell(2, 2, 1), cell(0, 2, 1));
    Map<String, Double> m = EvaluationMetrics.of(Task.MULTICLASS, cells, null, Side.CANDIDATE, BUSINESS);
    double f0 = 5.0 / 6;
    double f1 = 2 * 0.75 / 1.75;
    double f2 = 2.0 / 3;
    assertEquals(9.0 / 11, m.get("accuracy"), 1e-12);
    assertEquals((f0 + f1 + f2) / 3, m.get("macroF1"), 1e-12);
    assertFalse(m.containsKey("f1"), "multiclass F1 is named macroF1 or weightedF1; f1 is the binary positive class's");
    assertEquals((6 * f0 + 3 * f1 + 2 * f2) / 11, m.get("weightedF1"), 1e-12);
  }

  /**
   * Multiclass log loss: each side's summed -log p(label's class) over the rows it has a probability for (a
   * label of a class the model never saw has none): candidate (1.2 + 0.8) / 3 rows, champion 0.9 / 2 rows.
   */
  @Test
  void multiclassLogLossIsOverTheRowsWithAProbability() {
    List<Cell> cells = List.of(new Cell(EvaluationCells.ALL, 0, 0, 0, 2, new double[] {1.2, 0.9, 2, 2, 0, 0}),
        new Cell(EvaluationCells.ALL, 1, 1, 1, 2, new double[] {0.8, 0, 1, 0, 0, 0}));
    assertEquals(2.0 / 3, EvaluationMetrics.of(Task.MULTICLASS, cells, null, Side.CANDIDATE, BUSINESS)
        .get("logLoss"), 1e-12);
    assertEquals(0.45, EvaluationMetrics.of(Task.MULTICLASS, cells, null, Side.CHAMPION, BUSINESS)
        .get("logLoss"), 1e-12);
    assertTrue(EvaluationMetrics.names(Task.MULTICLASS).contains("logLoss"), "a multiclass logLoss gate is allowed");
  }

  private static Cell cell(int a, int y, long n) {
    return new Cell(EvaluationCells.ALL, a, 0, y, n, new double[6]);
  }

  /** Σe² 8 over 4 rows, Σ|e| 4, Σy 16, Σy² 76: RMSE √2, MAE 1, R² = 1 − 8 / (76 − 16²/4). */
  @Test
  void regressionMetricsMatchTheHandCount() {
    List<Cell> cells = List.of(new Cell(EvaluationCells.ALL, 0, 0, 0, 2, new double[] {8, 4, 0, 0, 10, 58}),
        new Cell(EvaluationCells.ALL, 1, 0, 0, 2, new double[] {0, 0, 0, 0, 6, 18}));
    Map<String, Double> m = EvaluationMetrics.of(Task.REGRESSION, cells, null, Side.CANDIDATE, BUSINESS);
    assertEquals(Math.sqrt(2), m.get("rmse"), 1e-12);
    assertEquals(1.0, m.get("mae"), 1e-12);
    assertEquals(1 - 8.0 / 12, m.get("r2"), 1e-12);
  }

  private static EvaluationSpec spec(List<EvaluationSpec.Gate> gates) {
    return new EvaluationSpec(0.5, false, List.of(), 100, 200, 0.95, 7, BUSINESS, gates, true);
  }

  /** Candidate ranks every positive above every negative; the champion ranks them at random. */
  @Test
  void aClearlyBetterCandidateHasAnIntervalAboveZeroAndTheSameModelHasZero() {
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int y = i % 2;
      cells.add(binary(y == 1 ? 5 + i : -5 - i, (i * 7919) % 50 - 25, y, 25, 10, 5));
    }
    PairedBootstrap.Difference auc = PairedBootstrap.differences(Task.BINARY, cells, spec(List.of()))
        .get("areaUnderROC");
    assertTrue(auc.value() > 0.3, auc.toString());
    assertTrue(auc.low() > 0 && auc.low() <= auc.value() && auc.value() <= auc.high(), auc.toString());

    List<Cell> same = cells.stream().map(c -> new Cell(c.scope(), c.a(), c.a(), c.y(), c.n(), c.sums())).toList();
    PairedBootstrap.Difference none = PairedBootstrap.differences(Task.BINARY, same, spec(List.of()))
        .get("areaUnderROC");
    assertEquals(0, none.value(), 1e-12);
    assertEquals(0, none.low(), 1e-12, "paired: both models see the same resampled rows");
    assertEquals(0, none.high(), 1e-12);
  }

  @Test
  void gatesCheckFloorsCeilingsDropsAndSlicesAndAnUndefinedMetricFails() {
    EvaluationSpec spec = spec(List.of(
        new EvaluationSpec.Gate(EvaluationSpec.GateKind.MIN, "areaUnderROC", 0.6),
        new EvaluationSpec.Gate(EvaluationSpec.GateKind.MAX, "logLoss", 0.5),
        new EvaluationSpec.Gate(EvaluationSpec.GateKind.MAX_DROP, "areaUnderROC", 0.01),
        new EvaluationSpec.Gate(EvaluationSpec.GateKind.SLICE_MIN, "areaUnderROC", 0.55)));
    Map<String, Double> candidate = Map.of("areaUnderROC", 0.65, "logLoss", 0.49);
    Map<String, Map<String, Double>> slices = Map.of(
        "slice:month=1", Map.of("areaUnderROC", 0.6, "rows", 500.0),
        "slice:month=2", Map.of("areaUnderROC", Double.NaN, "rows", 500.0),
        "slice:month=3", Map.of("areaUnderROC", 0.1, "rows", 99.0));

    List<GateCheck.Result> noChampion = GateCheck.check(spec, candidate, Optional.empty(), slices);
    assertEquals(4, noChampion.size(), "no max-drop without a champion; the small slice is not gated: " + noChampion);
    assertFalse(GateCheck.go(noChampion), "a slice with an undefined AUC fails its gate");
    assertTrue(noChampion.stream().filter(g -> g.slice() == null).allMatch(GateCheck.Result::passed));

    List<GateCheck.Result> againstChampion = GateCheck.check(spec, candidate,
        Optional.of(Map.of("areaUnderROC", 0.67, "logLoss", 0.48)), Map.of());
    GateCheck.Result drop = againstChampion.stream().filter(g -> g.gate().equals("max-drop")).findFirst().orElseThrow();
    assertEquals(0.02, drop.value(), 1e-12);
    assertFalse(drop.passed());
  }
}
