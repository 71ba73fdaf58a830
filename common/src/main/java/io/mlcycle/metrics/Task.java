package io.mlcycle.metrics;

import java.util.Locale;
import java.util.Optional;

/** What a model predicts: a positive class's probability, one of several classes, or a number. */
public enum Task {
  BINARY, MULTICLASS, REGRESSION;

  /** The task's name in configuration ({@code pipeline.model.task}) and in the tracked params. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The metric a reader looks at first for this task when nothing more specific is known (the model's
   * selection metric is): binary areaUnderROC, multiclass macroF1, regression rmse.
   */
  public Metric headline() {
    return switch (this) {
      case BINARY -> Metric.AREA_UNDER_ROC;
      case MULTICLASS -> Metric.MACRO_F1;
      case REGRESSION -> Metric.RMSE;
    };
  }

  /**
   * The metric a training run recorded it was chosen by (param {@code metric}) when it is one of this task's,
   * else the task's headline metric.
   */
  public Metric selection(Optional<String> recordedMetric) {
    return recordedMetric.flatMap(Metric::find).filter(m -> m.appliesTo(this)).orElse(headline());
  }

  /** The task a training run recorded in its {@code task} param; binary for a run from before tasks were recorded. */
  public static Task recorded(Optional<String> param) {
    return param.map(p -> valueOf(p.toUpperCase(Locale.ROOT))).orElse(BINARY);
  }
}
