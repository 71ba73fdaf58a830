package io.mlcycle.base;

/**
 * The process exit codes orchestrators branch on. The numbers are a public contract: never renumber.
 */
public enum ExitCode {
  /** Success, including "nothing new to do" (said in the summary). */
  SUCCESS(0, "succeeded"),
  /** An unexpected failure: a bug or the infrastructure. */
  FAILURE(1, "failed"),
  /** A usage or configuration error; the message names the key, the file and the fix. */
  USAGE(2, "usage_error"),
  /** A data-quality gate failed: nothing was published downstream. */
  DATA_QUALITY(3, "data_quality_failed"),
  /** A model gate said no-go: the candidate was recorded but not promoted. */
  MODEL_GATE(4, "model_gate_failed");

  private final int code;
  private final String status;

  ExitCode(int code, String status) {
    this.code = code;
    this.status = status;
  }

  public int code() {
    return code;
  }

  /** The word the run summary carries in its {@code status} field. */
  public String status() {
    return status;
  }
}
