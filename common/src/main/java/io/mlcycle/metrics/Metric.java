package io.mlcycle.metrics;

import static io.mlcycle.metrics.Task.BINARY;
import static io.mlcycle.metrics.Task.MULTICLASS;
import static io.mlcycle.metrics.Task.REGRESSION;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every metric mlcycle computes, stores or gates on, with one meaning per name. {@link #id()} is the name
 * in the tables ({@code _mlcycle/metrics}, {@code _mlcycle/gates}, {@code _mlcycle/performance}), in the
 * configuration (training metric, gates, floors and ceilings) and in the report; training, evaluation,
 * monitoring and the report all name metrics through this enum.
 *
 * <p>Binary threshold metrics ({@code precision}, {@code recall}, {@code f1}) are of the positive class at
 * the model's decision threshold; multiclass F1 is {@code macroF1} or {@code weightedF1}, never {@code f1}.
 * Each metric knows the tasks it is defined for; {@link #check} is how every configuration key that names a
 * metric (the training metric, the gates, the realised-performance floors and ceilings) refuses one that
 * does not fit the task or the place. Each has one kernel: {@link RankingAreas} (the areas),
 * {@link ClassCounts} (multiclass), {@link ErrorSums} (regression).
 */
public enum Metric {
  AREA_UNDER_ROC("areaUnderROC", true, Set.of(BINARY), "binary: area under the ROC curve of the scores (RankingAreas)"),
  AREA_UNDER_PR("areaUnderPR", true, Set.of(BINARY), "binary: area under the precision-recall curve of the scores"),
  LOG_LOSS("logLoss", false, Set.of(BINARY, MULTICLASS),
      "mean negative log-likelihood of the label under the predicted probability (multiclass: of the "
      + "label's class; ClassCounts)"),
  BRIER("brier", false, Set.of(BINARY),
      "binary: mean squared difference between the positive class's probability and the label"),
  ACCURACY("accuracy", true, Set.of(BINARY, MULTICLASS),
      "share of rows whose predicted class is the label (binary: at the threshold)"),
  PRECISION("precision", true, Set.of(BINARY), "binary: true positives over predicted positives at the threshold"),
  RECALL("recall", true, Set.of(BINARY), "binary: true positives over actual positives at the threshold"),
  F1("f1", true, Set.of(BINARY),
      "binary: harmonic mean of precision and recall of the positive class at the threshold"),
  MACRO_F1("macroF1", true, Set.of(MULTICLASS),
      "multiclass: unweighted mean of the per-class F1 over the labels' classes (ClassCounts)"),
  WEIGHTED_F1("weightedF1", true, Set.of(MULTICLASS),
      "multiclass: mean of the per-class F1 weighted by each class's rows (ClassCounts)"),
  RMSE("rmse", false, Set.of(REGRESSION), "regression: root mean squared error (ErrorSums)"),
  MAE("mae", false, Set.of(REGRESSION), "regression: mean absolute error"),
  R2("r2", true, Set.of(REGRESSION),
      "regression: coefficient of determination, 1 − squared error over the label's variance"),
  MEAN_RESIDUAL("mean_residual", false, Set.of(REGRESSION),
      "regression: mean of prediction − label (the bias; 0 is unbiased)"),
  RESIDUAL_PSI("residual_psi", false, Set.of(REGRESSION),
      "regression, realised: population stability index of the residuals (prediction − label) over the deciles "
      + "of the model's held-out residuals, which hold a tenth each at training (0: errors as at training)"),
  BUSINESS_VALUE("business_value", true, Set.of(BINARY),
      "binary: value of the decisions at the threshold per row (tp value · TP − fp cost · FP − fn cost · "
      + "FN, over rows)"),
  ROWS("rows", true, EnumSet.allOf(Task.class), "the rows (or bootstrap weight) the other metrics are computed on"),
  PREDICTED_ROWS("predicted_rows", true, EnumSet.allOf(Task.class), "realised: predictions made"),
  LABELLED_ROWS("labelled_rows", true, EnumSet.allOf(Task.class), "realised: predictions whose label has arrived"),
  COVERAGE("coverage", true, EnumSet.allOf(Task.class), "realised: labelled over predicted rows"),
  POSITIVE_RATE("positive_rate", true, Set.of(BINARY), "realised: share of labelled rows with a positive label"),
  UNSEEN_LABELS("unseen_labels", false, Set.of(MULTICLASS),
      "realised: labelled rows whose class the model was never trained on (counted as misses, left out of "
      + "log loss)"),
  UNMATCHED_LABELS("unmatched_labels", false, EnumSet.allOf(Task.class),
      "realised: labels whose entity key no prediction has"),
  LABEL_DELAY_HOURS_MEDIAN("label_delay_hours_median", false, EnumSet.allOf(Task.class),
      "realised: median hours from scoring to label"),
  LABEL_DELAY_HOURS_MEAN("label_delay_hours_mean", false, EnumSet.allOf(Task.class),
      "realised: mean hours from scoring to label"),
  ERROR_RATE("error_rate", false, Set.of(BINARY, MULTICLASS),
      "realised, per slice: share of wrong predictions (1 − accuracy)"),
  THRESHOLD("threshold", true, Set.of(BINARY),
      "binary: the decision threshold the threshold metrics are taken at (stored with them; not a measure)");

  private static final Map<String, Metric> BY_ID = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(Metric::id, Function.identity()));

  private final String id;
  private final boolean largerIsBetter;
  private final Set<Task> tasks;
  private final String meaning;

  Metric(String id, boolean largerIsBetter, Set<Task> tasks, String meaning) {
    this.id = id;
    this.largerIsBetter = largerIsBetter;
    this.tasks = tasks;
    this.meaning = meaning;
  }

  /** The metric's name in tables, configuration and the report. */
  public String id() {
    return id;
  }

  public boolean largerIsBetter() {
    return largerIsBetter;
  }

  /** What the metric measures, in one line. */
  public String meaning() {
    return meaning;
  }

  /** The tasks the metric is defined for. */
  public Set<Task> tasks() {
    return tasks;
  }

  /** Whether the metric is defined for {@code task}. */
  public boolean appliesTo(Task task) {
    return tasks.contains(task);
  }

  /**
   * Why {@code id} cannot be used where {@code offered} are the metrics for {@code task}, or empty when it can:
   * not a metric at all, a metric of other tasks, or one this place ({@code place}, e.g. "a floor") does not offer.
   */
  public static Optional<String> check(String id, Task task, Set<Metric> offered, String place) {
    String use = "; use one of " + new TreeSet<>(offered.stream().map(Metric::id).toList());
    Optional<Metric> metric = find(id);
    if (metric.isEmpty()) {
      return Optional.of("'" + id + "' is not a metric" + use);
    }
    if (!metric.get().appliesTo(task)) {
      return Optional.of("'" + id + "' is not a metric of task " + task.id() + " (it is one of "
          + String.join(", ", metric.get().tasks().stream().map(Task::id).sorted().toList()) + ")" + use);
    }
    if (!offered.contains(metric.get())) {
      return Optional.of("'" + id + "' is not " + place + " for task " + task.id() + use);
    }
    return Optional.empty();
  }

  /** The names of {@code metrics}. */
  public static Set<String> ids(Metric... metrics) {
    return Arrays.stream(metrics).map(Metric::id).collect(Collectors.toUnmodifiableSet());
  }

  /** The metric named {@code id}, if there is one. */
  public static Optional<Metric> find(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }

  /** The metric named {@code id}; a name no metric has is a bug of the caller. */
  public static Metric named(String id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("Cannot find metric '" + id + "': it is none of "
        + new TreeSet<>(BY_ID.keySet())));
  }

  /** Whether larger values of the named metric are better; names outside this vocabulary count as larger-better. */
  public static boolean largerIsBetter(String id) {
    return find(id).map(Metric::largerIsBetter).orElse(true);
  }

  @Override
  public String toString() {
    return id;
  }
}
