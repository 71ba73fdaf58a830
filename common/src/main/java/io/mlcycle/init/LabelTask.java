package io.mlcycle.init;

import io.mlcycle.base.Errors;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.Task;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;

/**
 * The task a label column implies, from its profile: a boolean or two distinct values are binary; a string
 * with a few values, or an integer with at most {@value #MAX_INTEGER_CLASSES}, is multiclass; any other number is
 * regression.
 *
 * @param expr the label expression ({@code pipeline.label.expr})
 * @param baseline binary: the positive class's share; multiclass: the most frequent class's share (what always
 *     answering it scores as accuracy); regression: 0
 * @param evidence why, in one line
 */
record LabelTask(Task task, String expr, double baseline, String evidence) {
  static final int MAX_INTEGER_CLASSES = 10;
  static final int MAX_CLASSES = 50;
  private static final Set<String> POSITIVE = Set.of("1", "true", "t", "yes", "y", "positive", "pos");

  static LabelTask infer(ColumnProfile label) {
    String column = ColumnNames.quoted(label.name());
    long values = label.distinctValues();
    String counted = StarterText.count(values) + " distinct values in " + StarterText.count(label.nonNull())
        + " labelled rows" + (label.nulls() > 0 ? " (" + StarterText.count(label.nulls()) + " without a label)" : "");
    if (!label.isAtomic() || label.isTime() || values < 2) {
      throw Errors.usage("Cannot learn label column '" + label.name() + "': it is " + label.type().simpleString()
          + " with " + counted + ". Pass --label with a column of two or more classes or of numbers.");
    }
    if (label.isBoolean() || values == 2 && label.fullyCounted()) {
      return binary(label, column, counted);
    }
    if (label.isString() || label.isIntegral() && values <= MAX_INTEGER_CLASSES) {
      if (values > MAX_CLASSES) {
        throw Errors.usage("Cannot learn label column '" + label.name() + "': it has " + counted + ", too many for "
            + "classes (at most " + MAX_CLASSES + "). Pass --label with a column of classes or numbers, or group the "
            + "classes in the data first.");
      }
      ColumnProfile.ValueCount majority = label.top().get(0);
      double share = (double) majority.count() / label.nonNull();
      return new LabelTask(Task.MULTICLASS, column, share, counted + " (" + StarterText.shares(label)
          + ") → multiclass");
    }
    return new LabelTask(Task.REGRESSION, column, 0, StarterText.numbers(label) + ", " + counted + " → regression");
  }

  private static LabelTask binary(ColumnProfile label, String column, String counted) {
    ColumnProfile.ValueCount positive = label.top().stream()
        .filter(v -> POSITIVE.contains(v.value().toLowerCase(Locale.ROOT)) || v.value().equals("1.0")).findFirst()
        .orElseGet(() -> label.isNumeric()
            ? label.top().stream().max(Comparator.comparingDouble(v -> Double.parseDouble(v.value()))).orElseThrow()
            : label.top().stream().min(Comparator.comparingLong(ColumnProfile.ValueCount::count)).orElseThrow());
    double share = (double) positive.count() / label.nonNull();
    boolean zeroOne = label.isNumeric() && label.top().stream()
        .allMatch(v -> Double.parseDouble(v.value()) == 0 || Double.parseDouble(v.value()) == 1);
    String expr = label.isBoolean() || zeroOne ? column
        : column + " = " + (label.isNumeric() ? positive.value() : StarterText.sqlString(positive.value()));
    String why = POSITIVE.contains(positive.value().toLowerCase(Locale.ROOT)) || zeroOne ? "it reads as yes"
        : label.isNumeric() ? "the larger value" : "the rarer value";
    return new LabelTask(Task.BINARY, expr, share, counted + " (" + StarterText.shares(label)
        + ") → binary; positive: "
        + positive.value() + " (" + why + ")");
  }
}
