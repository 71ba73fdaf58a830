package io.mlcycle.jobs;

/**
 * One lifecycle job. A job reads the table versions it is given, does its one thing, and records the
 * versions it wrote in the context's summary. It never exits the process, never builds a session and
 * never reads the command line: the runner does all three.
 */
public interface Job {
  /**
   * Runs the job. Return normally on success (also when there was nothing to do; say so with
   * {@link RunSummary#nothingToDo}); throw a {@link MlcycleException} for a user-facing failure.
   */
  void run(JobContext context) throws Exception;

  /** Jobs that only read config (such as {@code config}) start no Spark. */
  default boolean needsSpark() {
    return true;
  }
}
