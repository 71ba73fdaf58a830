package io.mlcycle.metrics;

import java.util.Locale;

/** What a model predicts: a positive class's probability, one of several classes, or a number. */
public enum Task {
  BINARY, MULTICLASS, REGRESSION;

  /** The task's name in configuration ({@code pipeline.model.task}) and in the tracked params. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
