package io.mlcycle.jobs;

import io.mlcycle.dataset.KeyIssues;
import java.util.List;

/** Rows whose entity key is null or repeated, as score and monitor report them: counts in the summary, a warning printed. */
final class KeyCounts {
  private KeyCounts() {}

  static void summarise(JobContext context, KeyIssues.Counts keys, List<String> warnings) {
    context.summary().count("rows_with_null_key", keys.nullKeys()).count("rows_with_repeated_key", keys.repeatedKeys());
    warnings.forEach(w -> context.out().println("warning: " + w));
    if (!warnings.isEmpty()) {
      context.summary().count("warning", String.join("; ", warnings));
    }
  }
}
