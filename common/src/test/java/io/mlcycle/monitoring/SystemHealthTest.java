package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.io.Storage;
import io.mlcycle.testing.SparkTest;
import io.mlcycle.tracking.TrackingTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Job health from the runs table, as the runner records it. */
class SystemHealthTest extends SparkTest {
  private static TrackingTables.RunRecord run(String job, String status, int exitCode, String startedAt, double seconds,
                                              String counts) {
    Timestamp start = Timestamp.from(Instant.parse(startedAt));
    return new TrackingTables.RunRecord("run-" + startedAt, job, "flights", status, exitCode, start,
        Timestamp.from(start.toInstant().plusMillis((long) (seconds * 1000))), seconds, "tester", "0.1.0", "4.1.0",
        "4.2.0", "hash", "{\"job\":\"" + job + "\",\"counts\":" + counts + "}");
  }

  /**
   * validate ran three times: 10 s with 15,022 rows in (of which 14,900 reached silver), 30 s failing on a
   * quality gate, 20 s with 15,000 rows in. Median 20 s, last 20 s, 1 of 3 failed, 30,022 rows processed.
   */
  @Test
  void runsFailuresDurationsAndRowsPerJob() {
    TrackingTables tracking = new TrackingTables(spark(), Storage.at(tempDir.toString()));
    tracking.recordRun(run("validate", "succeeded", 0, "2026-01-01T00:00:00Z", 10,
        "{\"rows_in\":15022,\"rows_silver\":14900,\"warnings\":2}"));
    tracking.recordRun(run("validate", "data_quality_failed", 3, "2026-01-02T00:00:00Z", 30, "{}"));
    tracking.recordRun(run("validate", "succeeded", 0, "2026-01-03T00:00:00Z", 20, "{\"rows_in\":15000}"));
    tracking.recordRun(run("doctor", "failed", 1, "2026-01-01T00:00:00Z", 5, "{\"executor_processes\":0}"));
    List<SystemHealth.JobHealth> health = SystemHealth.of(tracking.read(TrackingTables.RUNS));
    assertEquals(List.of(
        new SystemHealth.JobHealth("doctor", 1, 1, 1, 5, 5, "failed", Instant.parse("2026-01-01T00:00:00Z"), 0),
        new SystemHealth.JobHealth("validate", 3, 1, 0, 20, 20, "succeeded", Instant.parse("2026-01-03T00:00:00Z"),
            30_022)), health);
    assertEquals(1.0 / 3, health.get(1).failureRate(), 1e-12);
  }
}
