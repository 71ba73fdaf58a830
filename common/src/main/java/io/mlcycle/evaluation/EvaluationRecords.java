package io.mlcycle.evaluation;

import io.mlcycle.metrics.Task;
import io.mlcycle.tracking.TrackingTables;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An evaluation as rows of {@code _mlcycle/metrics}: metrics, champion, differences, slices, curves, confusion. */
final class EvaluationRecords {
  private EvaluationRecords() {}

  static List<TrackingTables.Metric> of(TrainingSpec spec, Map<String, Double> candidate,
                                        CandidateEvaluation.Result result) {
    List<TrackingTables.Metric> records = new ArrayList<>();
    candidate.forEach((name, value) -> records.add(metric("evaluation", -1, name, value)));
    result.champion().ifPresent(c -> c.forEach((name, value) -> records.add(metric("champion", -1, name, value))));
    result.differences().forEach((name, d) -> {
      records.add(metric("difference", -1, name, d.value()));
      records.add(metric("difference", -1, name + ".ci_low", d.low()));
      records.add(metric("difference", -1, name + ".ci_high", d.high()));
    });
    result.slices().forEach((scope, metrics) -> metrics.forEach((name, value) ->
        records.add(metric(scope, -1, name, value))));
    for (int i = 0; i < result.reliability().size(); i++) {
      double[] bin = result.reliability().get(i);
      records.add(metric("reliability", i, "mean_predicted", bin[0]));
      records.add(metric("reliability", i, "observed", bin[1]));
      records.add(metric("reliability", i, "rows", bin[2]));
    }
    for (int i = 0; i < result.curves().roc().size(); i++) {
      records.add(metric("roc", i, "fpr", result.curves().roc().get(i)[0]));
      records.add(metric("roc", i, "tpr", result.curves().roc().get(i)[1]));
    }
    for (int i = 0; i < result.curves().pr().size(); i++) {
      records.add(metric("pr", i, "recall", result.curves().pr().get(i)[0]));
      records.add(metric("pr", i, "precision", result.curves().pr().get(i)[1]));
    }
    result.confusion().forEach((label, row) -> row.forEach((predicted, rows) ->
        records.add(metric("confusion", -1, confusionName(spec, label, predicted), rows))));
    return records;
  }

  private static TrackingTables.Metric metric(String scope, int index, String name, double value) {
    return new TrackingTables.Metric(scope, index, -1, name, value);
  }

  private static String confusionName(TrainingSpec spec, int label, int predicted) {
    if (spec.task() == Task.BINARY) {
      return (label == predicted ? "t" : "f") + (predicted == 1 ? "p" : "n");
    }
    return "label_" + label + "_predicted_" + predicted;
  }
}
