package io.mlcycle.base;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How run ids start: the run's UTC start time ({@code 20261127T135012Z-...}), so that generated run ids
 * sort in the order the runs started. An orchestrator may pass ids of its own, which need not.
 */
public final class RunIds {
  public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final int TIME_LENGTH = 16;

  private RunIds() {}

  /** The start time a run id leads with, when it leads with one. */
  public static Optional<Instant> startOf(String runId) {
    if (runId.length() < TIME_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(TIME.parse(runId.substring(0, TIME_LENGTH))));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
