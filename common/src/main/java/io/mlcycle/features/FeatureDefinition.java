package io.mlcycle.features;

import java.util.Optional;

/**
 * One declared feature: a Spark SQL expression, optionally a category and optionally aggregated over a
 * past window of its group.
 *
 * @param name the output column
 * @param expr Spark SQL over silver columns, lookups and earlier features
 * @param categorical whether the value is a category (a string; rare values are folded)
 * @param defaultValue what replaces a null result
 * @param window the past window that aggregates {@code expr}, when this is a window feature
 * @param monitored whether its drift counts towards a batch's drift share ({@code monitor = false}: a feature
 *     that drifts by construction, such as a calendar month, is measured and recorded but triggers nothing).
 *     Not part of the definition's hash: it changes what monitoring concludes, not the feature's values
 * @param keyPath where it is declared, e.g. {@code pipeline.features[3]}, for messages
 * @param origin the file and line it was declared at
 */
public record FeatureDefinition(String name, String expr, boolean categorical, Optional<Object> defaultValue,
                                Optional<WindowAggregate> window, boolean monitored, String keyPath,
                                String origin) {
  public boolean isWindow() {
    return window.isPresent();
  }
}
