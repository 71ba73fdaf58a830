package io.mlcycle.evaluation;

import io.mlcycle.base.TextTable;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An evaluation as the tables the evaluate job prints: metrics against the champion, weakest slices, gates. */
public final class EvaluationTables {
  private EvaluationTables() {}

  /** Candidate, champion and their paired-bootstrap difference, per metric. */
  public static TextTable metrics(CandidateEvaluation.Result result) {
    TextTable table = new TextTable("metric", "candidate", "champion", "difference [95% CI]");
    result.candidate().forEach((name, value) -> {
      if (name.equals("rows")) {
        return;
      }
      PairedBootstrap.Difference d = result.differences().get(name);
      table.row(name, format(value), result.champion().map(c -> format(c.get(name))).orElse("-"),
          d == null ? "-" : String.format("%+.4f [%+.4f, %+.4f]", d.value(), d.low(), d.high()));
    });
    return table;
  }

  /** The metric slices are ranked by: the model's metric when slices have it, else accuracy. */
  public static String sliceMetric(TrainingSpec spec) {
    return EvaluationMetrics.names(spec.task()).contains(spec.metric()) ? spec.metric() : "accuracy";
  }

  /** The five weakest slices by {@code metric}; empty when the evaluation had no slices. */
  public static Optional<TextTable> weakestSlices(CandidateEvaluation.Result result, String metric) {
    if (result.slices().isEmpty()) {
      return Optional.empty();
    }
    TextTable slices = new TextTable("slice", metric, "rows");
    result.slices().entrySet().stream()
        .filter(e -> !Double.isNaN(e.getValue().getOrDefault(metric, Double.NaN)))
        .sorted(Comparator.comparingDouble(e -> EvaluationMetrics.largerIsBetter(metric)
            ? e.getValue().get(metric) : -e.getValue().get(metric)))
        .limit(5)
        .forEach(e -> slices.row(e.getKey().substring("slice:".length()), format(e.getValue().get(metric)),
            e.getValue().get("rows").longValue()));
    return Optional.of(slices);
  }

  /** Every gate on the whole holdout; slice gates as one line per metric (the weakest slice) plus each failure. */
  public static TextTable gates(List<GateCheck.Result> gates) {
    TextTable table = new TextTable("gate", "metric", "slice", "value", "threshold", "passed");
    gates.stream().filter(g -> g.slice() == null).forEach(g -> table.row(g.gate(), g.metric(), "", format(g.value()),
        format(g.threshold()), g.passed() ? "yes" : "NO"));
    Map<String, List<GateCheck.Result>> bySlice = new LinkedHashMap<>();
    gates.stream().filter(g -> g.slice() != null)
        .forEach(g -> bySlice.computeIfAbsent(g.gate() + " " + g.metric(), k -> new ArrayList<>()).add(g));
    bySlice.values().forEach(slices -> sliceGate(table, slices));
    return table;
  }

  private static void sliceGate(TextTable table, List<GateCheck.Result> slices) {
    GateCheck.Result weakest = slices.stream().min(Comparator.comparingDouble(g -> Double.isNaN(g.value())
        ? Double.NEGATIVE_INFINITY : g.value())).orElseThrow();
    long passed = slices.stream().filter(GateCheck.Result::passed).count();
    table.row(weakest.gate(), weakest.metric(), "weakest of " + slices.size() + ": " + weakest.slice(),
        format(weakest.value()), format(weakest.threshold()), passed == slices.size() ? "yes"
            : "NO (" + (slices.size() - passed) + " slices)");
    slices.stream().filter(g -> !g.passed() && g != weakest).forEach(g -> table.row(g.gate(), g.metric(),
        g.slice(), format(g.value()), format(g.threshold()), "NO"));
  }

  /** A metric as printed: four decimals, or n/a. */
  public static String format(Double value) {
    return value == null || value.isNaN() ? "n/a" : String.format("%.4f", value);
  }
}
