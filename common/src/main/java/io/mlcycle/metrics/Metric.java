package io.mlcycle.metrics;

import java.util.Arrays;
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
 */
public enum Metric {
  AREA_UNDER_ROC("areaUnderROC", true, "areaUnderROC", "binary: area under the ROC curve of the scores ("
      + "RankingAreas)"),
  AREA_UNDER_PR("areaUnderPR", true, "areaUnderPR", "binary: area under the precision-recall curve of the scores"),
  LOG_LOSS("logLoss", false, "logLoss", "mean negative log-likelihood of the label under the predicted probability"),
  BRIER("brier", false, null, "binary: mean squared difference between the positive class's probability and the label"),
  ACCURACY("accuracy", true, "accuracy", "share of rows whose predicted class is the label (binary: at the threshold)"),
  PRECISION("precision", true, null, "binary: true positives over predicted positives at the threshold"),
  RECALL("recall", true, null, "binary: true positives over actual positives at the threshold"),
  F1("f1", true, null, "binary: harmonic mean of precision and recall of the positive class at the threshold"),
  MACRO_F1("macroF1", true, null, "multiclass: unweighted mean of the per-class F1"),
  WEIGHTED_F1("weightedF1", true, "f1", "multiclass: mean of the per-class F1 weighted by each class's rows "
      + "(MLlib's \"f1\")"),
  WEIGHTED_PRECISION("weightedPrecision", true, "weightedPrecision", "multiclass: per-class precision weighted by "
      + "each class's rows"),
  WEIGHTED_RECALL("weightedRecall", true, "weightedRecall", "multiclass: per-class recall weighted by each "
      + "class's rows"),
  RMSE("rmse", false, "rmse", "regression: root mean squared error"),
  MAE("mae", false, "mae", "regression: mean absolute error"),
  R2("r2", true, "r2", "regression: coefficient of determination, 1 − squared error over the label's variance"),
  BUSINESS_VALUE("business_value", true, null, "binary: value of the decisions at the threshold per row (tp value · "
      + "TP − fp cost · FP − fn cost · FN, over rows)"),
  ROWS("rows", true, null, "the rows (or bootstrap weight) the other metrics are computed on"),
  PREDICTED_ROWS("predicted_rows", true, null, "realised: predictions made"),
  LABELLED_ROWS("labelled_rows", true, null, "realised: predictions whose label has arrived"),
  COVERAGE("coverage", true, null, "realised: labelled over predicted rows"),
  POSITIVE_RATE("positive_rate", true, null, "realised: share of labelled rows with a positive label"),
  LABEL_DELAY_HOURS_MEDIAN("label_delay_hours_median", false, null, "realised: median hours from scoring to label"),
  LABEL_DELAY_HOURS_MEAN("label_delay_hours_mean", false, null, "realised: mean hours from scoring to label"),
  ERROR_RATE("error_rate", false, null, "realised, per slice: share of wrong predictions (1 − accuracy)"),
  THRESHOLD("threshold", true, null, "binary: the decision threshold the threshold metrics are taken at (stored with "
      + "them; not a measure)");

  private static final Map<String, Metric> BY_ID = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(Metric::id, Function.identity()));

  private final String id;
  private final boolean largerIsBetter;
  private final String mllibName;
  private final String meaning;

  Metric(String id, boolean largerIsBetter, String mllibName, String meaning) {
    this.id = id;
    this.largerIsBetter = largerIsBetter;
    this.mllibName = mllibName;
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

  /** The name MLlib's evaluators give this metric, if they compute it. */
  public Optional<String> mllibName() {
    return Optional.ofNullable(mllibName);
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
