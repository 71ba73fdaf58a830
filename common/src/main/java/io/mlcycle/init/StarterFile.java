package io.mlcycle.init;

import static io.mlcycle.init.StarterText.count;
import static io.mlcycle.init.StarterText.number;
import static io.mlcycle.init.StarterText.quote;
import static io.mlcycle.init.StarterText.quotedList;

import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A starter pipeline as the HOCON file {@code mlcycle init} writes: every key a choice, every choice preceded by a
 * comment with its evidence. It sets only what the sample decides and leaves every other key to reference.conf.
 */
final class StarterFile {
  /** Training rows the default {@code pipeline.model.min-train-rows} asks for. */
  private static final long DEFAULT_MIN_TRAIN_ROWS = 1000;

  private final StarterPipeline starter;
  private final StringBuilder out = new StringBuilder();

  private StarterFile(StarterPipeline starter) {
    this.starter = starter;
  }

  static String render(StarterPipeline starter, String sourcePath, Instant now) {
    return new StarterFile(starter).write(sourcePath, now);
  }

  private String write(String sourcePath, Instant now) {
    line(0, "# Starter pipeline written by `mlcycle init` on " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + " from " + sourcePath + ": the schema Spark");
    line(0, "# inferred and a profile of " + (starter.wholeInput() ? "all " + count(starter.rows) + " rows"
        : "the first " + count(starter.rows) + " rows") + ", each choice below with its evidence. Review it; every key "
        + "is");
    line(0, "# documented in reference.conf.");
    line(0, "pipeline {");
    line(1, "name = " + quote(starter.name));
    comment(1, "Entity key: " + starter.key.evidence() + ".");
    line(1, "entity-key = " + quotedList(starter.key.columns()));
    comment(1, "Event time: " + starter.eventTime.evidence() + ".");
    line(1, "event-time = " + quote(starter.eventTime.columns().stream().findFirst().orElse("")));
    source(sourcePath);
    schema();
    quality();
    label();
    features();
    model();
    evaluate();
    monitoring();
    line(0, "}");
    return out.toString();
  }

  private void source(String sourcePath) {
    line(0, "");
    line(1, "source {");
    line(2, "format = " + quote(starter.sample.format().configName()));
    comment(2, "ingest --input overrides it; a folder or a glob takes every file in it.");
    line(2, "path = " + quote(sourcePath));
    if (!starter.sample.options().isEmpty()) {
      line(2, "options { " + starter.sample.options().entrySet().stream()
          .map(e -> e.getKey() + " = " + quote(e.getValue())).collect(Collectors.joining(", ")) + " }");
    }
    line(1, "}");
  }

  private void schema() {
    line(0, "");
    comment(1, "As Spark inferred it " + starter.sampled() + "; a later batch is read with these types.");
    line(1, "schema = [");
    for (ColumnProfile column : starter.columns) {
      line(2, "{ name = " + quote(column.name()) + ", type = " + quote(column.type().simpleString()) + " }  # "
          + StarterText.nulls(column) + (column.isAtomic() ? ", " + count(column.distinctValues()) + " distinct" : ""));
    }
    line(1, "]");
  }

  private void quality() {
    line(0, "");
    comment(1, "Suggested from the profile as Deequ's constraint suggestion does; all of them pass on the sample.");
    line(1, "quality.rules = [");
    for (StarterPipeline.Rule rule : starter.rules) {
      comment(2, rule.evidence() + ".");
      line(2, rule.hocon());
    }
    line(1, "]");
  }

  private void label() {
    line(0, "");
    line(1, "label {");
    line(2, "column = " + quote(starter.labelColumn));
    comment(2, starter.label.name() + ": " + starter.task.evidence() + ".");
    line(2, "expr = " + quote(starter.task.expr()));
    line(1, "}");
  }

  private void features() {
    line(0, "");
    comment(1, "Never the label, the key or the event time itself." + (starter.leftOut.isEmpty() ? "" : " Left out:"));
    starter.leftOut.forEach(reason -> comment(1, "- " + reason + "."));
    line(1, "features = [");
    for (StarterPipeline.Feature feature : starter.features) {
      comment(2, feature.evidence() + ".");
      line(2, "{ name = " + feature.name() + ", expr = " + quote(feature.expr())
          + (feature.categorical() ? ", categorical = true" : "") + " }");
    }
    line(1, "]");
  }

  private void model() {
    Task task = starter.taskKind();
    line(0, "");
    line(1, "model {");
    line(2, "task = " + quote(task.id()));
    line(2, "algorithm = " + quote(task == Task.REGRESSION ? "linear-regression" : "logistic-regression"));
    if (!starter.numericFeatures().isEmpty()) {
      line(2, "numeric = [" + String.join(", ", starter.numericFeatures()) + "]");
    }
    if (!starter.categoricalFeatures().isEmpty()) {
      line(2, "categorical = [" + String.join(", ", starter.categoricalFeatures()) + "]");
    }
    comment(2, "One regularisation to start with; list more values to search them by cross-validation.");
    line(2, "grid { reg-param = [0.01] }");
    line(2, "metric = " + quote(trainingMetric(task).id()));
    if (task == Task.BINARY && (starter.task.baseline() < 0.2 || starter.task.baseline() > 0.8)) {
      comment(2, "The positive class is " + StarterText.percent(starter.task.baseline()) + " of the labelled rows: "
          + "weight the classes so the rarer one counts.");
      line(2, "class-weight = \"balanced\"");
    }
    long trainRows = (long) (starter.rows * 0.8);
    if (starter.wholeInput() && trainRows < DEFAULT_MIN_TRAIN_ROWS) {
      long min = Math.max(10, starter.rows / 2);
      comment(2, "The input has " + count(starter.rows) + " rows, about " + count(trainRows) + " for training: the "
          + "default of " + count(DEFAULT_MIN_TRAIN_ROWS) + " would refuse it. Half the rows is the floor here.");
      line(2, "min-train-rows = " + min);
    }
    line(1, "}");
  }

  private void evaluate() {
    Map.Entry<Metric, Double> floor = floor();
    Metric drop = trainingMetric(starter.taskKind()) == Metric.RMSE ? Metric.R2 : trainingMetric(starter.taskKind());
    line(0, "");
    comment(1, "A candidate must " + floorReason() + ", and lose at most 0.01 " + drop.id()
        + " against the champion on the same rows.");
    line(1, "evaluate.gates {");
    line(2, "min { " + floor.getKey().id() + " = " + number(floor.getValue()) + " }");
    line(2, "max-drop { " + drop.id() + " = 0.01 }");
    line(1, "}");
  }

  private void monitoring() {
    Map.Entry<Metric, Double> floor = floor();
    line(0, "");
    comment(1, "Retrain when the champion's realised " + floor.getKey().id() + " on labelled batches falls below the "
        + "same floor.");
    line(1, "monitoring.performance.floor { " + floor.getKey().id() + " = " + number(floor.getValue()) + " }");
  }

  private static Metric trainingMetric(Task task) {
    return switch (task) {
      case BINARY -> Metric.AREA_UNDER_ROC;
      case MULTICLASS -> Metric.MACRO_F1;
      case REGRESSION -> Metric.RMSE;
    };
  }

  /** The floor a model must clear: better than chance, than always answering the commonest class, than the mean. */
  private Map.Entry<Metric, Double> floor() {
    return switch (starter.taskKind()) {
      case BINARY -> Map.entry(Metric.AREA_UNDER_ROC, 0.5);
      case MULTICLASS -> Map.entry(Metric.ACCURACY,
          BigDecimal.valueOf(starter.task.baseline()).setScale(2, RoundingMode.FLOOR).doubleValue());
      case REGRESSION -> Map.entry(Metric.R2, 0.0);
    };
  }

  private String floorReason() {
    return switch (starter.taskKind()) {
      case BINARY -> "rank better than chance (areaUnderROC 0.5)";
      case MULTICLASS -> "beat always answering '" + starter.label.top().get(0).value() + "', the commonest class ("
          + StarterText.percent(starter.task.baseline()) + " of the labelled rows)";
      case REGRESSION -> "predict better than the label's mean (r2 0)";
    };
  }

  private void comment(int depth, String text) {
    String sentence = Character.toUpperCase(text.charAt(0)) + text.substring(1);
    for (String part : wrap(sentence, 110 - 2 * depth)) {
      line(depth, "# " + part);
    }
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split(" ")) {
      if (current.length() > 0 && current.length() + 1 + word.length() > width) {
        lines.add(current.toString());
        current.setLength(0);
      }
      current.append(current.length() > 0 ? " " : "").append(word);
    }
    lines.add(current.toString());
    return lines;
  }

  private void line(int depth, String text) {
    out.append("  ".repeat(depth)).append(text).append('\n');
  }
}
