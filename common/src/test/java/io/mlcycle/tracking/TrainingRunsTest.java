package io.mlcycle.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.io.Storage;
import io.mlcycle.testing.SparkTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "The latest training run" means one thing: the latest start, recorded or led with by the run id. */
class TrainingRunsTest extends SparkTest {
  @Test
  void runsSortByTheirRecordedStartElseTheTimeTheirIdLeadsWith() {
    TrackingTables tracking = new TrackingTables(spark(), Storage.at(tempDir.toString()));
    for (String run : List.of("20260101T000000Z-early", "20260201T000000Z-child-train", "manual__airflow")) {
      tracking.recordParams(run, "flights", Map.of("task", "binary"));
    }
    tracking.recordParams("20270101T000000Z-other", "other-model", Map.of("task", "binary"));
    started(tracking, "20260101T000000Z-early", "2026-03-01T00:00:00Z");
    started(tracking, "manual__airflow", "2026-02-15T00:00:00Z");

    TrainingRuns runs = new TrainingRuns(tracking);
    assertEquals(List.of("20260101T000000Z-early", "manual__airflow", "20260201T000000Z-child-train"),
        runs.latestFirst("flights"), "a recorded start wins over the id; an id's leading time stands in for it");
    assertEquals(Optional.of("20260101T000000Z-early"), runs.latest("flights"));
    assertEquals(Optional.empty(), runs.latest("never-trained"));
  }

  private static void started(TrackingTables tracking, String run, String at) {
    Timestamp start = Timestamp.from(Instant.parse(at));
    tracking.recordRun(new TrackingTables.RunRecord(run, "train", "flights", "succeeded", 0, start, start, 1.0, "me",
        "0.1", "4.1.0", "4.2.0", "hash", "{}"));
  }
}
