package io.mlcycle.base;

/**
 * A failure the user can act on: it carries the exit code and a message that says what went wrong,
 * why, and how to fix it. The runner prints the message without a stack trace. Bugs are not
 * MlcycleExceptions; they surface as exit code 1.
 */
public class MlcycleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public MlcycleException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public MlcycleException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
