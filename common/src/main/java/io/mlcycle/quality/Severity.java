package io.mlcycle.quality;

/** What a failed rule does to its batch (Deequ-style: checks return results, the severity decides). */
public enum Severity {
  /** The batch fails: exit 3, nothing of it reaches silver; the report is still written. */
  ERROR,
  /** Recorded in the quality report only. */
  WARN,
  /** Each failing row goes to quarantine with every rule it failed. */
  DROP;

  public String configName() {
    return name().toLowerCase();
  }
}
