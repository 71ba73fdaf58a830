package io.mlcycle.dataset;

/** Which stage run of which batch of which dataset a write belongs to; its app ids make writes exactly-once. */
public record BatchKey(String dataset, String batchId, String stage, String runId) {
  /** The app id of the stage's data writes: the same for every run, so a batch lands once. */
  public String batchAppId() {
    return stage + ":" + dataset + ":" + batchId;
  }

  /** The app id of a report write: per run, so each run of a failing batch is recorded once. */
  public String appId(String table) {
    return table + ":" + batchAppId() + ":" + runId;
  }
}
