package io.mlcycle.dataset;

/** Which stage run of which batch of which dataset a write belongs to; its app ids make writes exactly-once. */
public record BatchKey(String dataset, String batchId, String stage, String runId) {
  /** The app id of the stage's data writes: the same for every run, so a batch lands once. */
  public String batchAppId() {
    return stage + ":" + dataset + ":" + batchId;
  }

  /**
   * The app id of the report that describes the batch's committed data write: one per batch, whichever run
   * wrote it, so a rerun after a crash between the data commit and the report writes the missing report.
   */
  public String reportAppId(String table) {
    return table + ":" + batchAppId();
  }

  /** The app id of a failing batch's report: per run, so each run of a failing batch is recorded once. */
  public String appId(String table) {
    return table + ":" + batchAppId() + ":" + runId;
  }
}
