package io.mlcycle.features;

import com.typesafe.config.Config;

/**
 * Reads the feature definitions that feature versions stored, with this run's defaults
 * ({@code reference.conf} and up) behind them: how scoring and monitoring rebuild the exact pipeline a
 * model was trained with.
 */
public final class StoredDefinitions {
  private final Config defaults;

  public StoredDefinitions(Config defaults) {
    this.defaults = defaults;
  }

  /** The spec {@code version} was built from. */
  public FeatureSpec of(FeatureVersion version) {
    return FeatureSpec.fromDefinition(version.definition(), defaults);
  }
}
