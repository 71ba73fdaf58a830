package io.mlcycle.features;

import java.time.Duration;

/**
 * What the model predicts, as a SQL expression over silver columns.
 *
 * @param column the label's column in the feature table
 * @param expr the expression, e.g. {@code delay > 15}
 * @param knownAfter how long after a row's event time its outcome is known (late labels)
 */
public record Label(String column, String expr, Duration knownAfter) {}
