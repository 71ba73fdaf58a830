package io.mlcycle.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the command line asks of the configuration.
 *
 * @param configFile the --config file; empty means the embedded local.conf
 * @param pipeline the --pipeline name or file; empty means the key {@code mlcycle.pipeline}
 * @param sets the --set key=value overrides, in order
 */
public record ConfigRequest(Optional<Path> configFile, Optional<String> pipeline, List<String> sets) {
  public ConfigRequest {
    sets = List.copyOf(sets);
  }

  public static ConfigRequest defaults() {
    return new ConfigRequest(Optional.empty(), Optional.empty(), List.of());
  }

  public ConfigRequest withSets(String... more) {
    return new ConfigRequest(configFile, pipeline, java.util.stream.Stream.concat(
        sets.stream(), java.util.Arrays.stream(more)).toList());
  }
}
