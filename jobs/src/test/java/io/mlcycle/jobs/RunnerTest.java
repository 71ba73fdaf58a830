package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job contract as an orchestrator sees it: exit codes, messages, and the JSON summary line. */
class RunnerTest extends SparkTest {

  /** Runs a Spark job with this test's own storage root and the test JVM's small local master. */
  private JobRun runJob(String job, String... more) {
    List<String> args = new ArrayList<>(List.of(job, "--set", "mlcycle.storage.root=" + tempDir.resolve("root"),
        "--set", "mlcycle.spark.master=local[2]", "--set", "mlcycle.spark.shuffle-partitions=2"));
    args.addAll(List.of(more));
    return JobRun.of(args.toArray(String[]::new));
  }

  @Test
  void helpListsEveryJobOneLineEachAndTheExitCodes() {
    JobRun run = JobRun.of("--help");
    assertEquals(0, run.code());
    for (String job : List.of("demo", "init", "ingest", "validate", "features", "train", "evaluate", "models", "promote",
        "rollback", "score", "monitor", "retrain", "run", "lineage", "report", "runs", "config", "doctor")) {
      assertTrue(run.out().matches("(?s).*\\n  " + job + " +\\S.*"), "lists " + job + ":\n" + run.out());
    }
    assertTrue(run.out().contains("Exit codes:"), run.out());
    assertTrue(run.out().contains("4  model gate failed"), run.out());
  }

  @Test
  void jobHelpShowsItsOptions() {
    JobRun run = JobRun.of("config", "--help");
    assertEquals(0, run.code());
    for (String option : List.of("--config", "--pipeline", "--run-id", "--set", "--summary-out", "--verbose")) {
      assertTrue(run.out().contains(option), option + " in:\n" + run.out());
    }
  }

  @Test
  void unknownJobExitsTwoAndListsTheJobs() throws IOException {
    JobRun run = JobRun.of("nosuchjob");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("'nosuchjob'"), run.err());
    assertTrue(run.err().contains("demo, init, ingest, validate, features, train, evaluate, models, promote, rollback,"
        + " score, monitor, retrain, run, lineage, reproduce, vacuum, report, runs, config, doctor"), run.err());
    assertEquals(2, run.summary().get("exit_code").asInt());
    assertEquals("usage_error", run.summary().get("status").asText());
  }

  @Test
  void noJobIsAUsageError() {
    JobRun run = JobRun.of();
    assertEquals(2, run.code());
    assertTrue(run.err().contains("no job given"), run.err());
  }

  @Test
  void configTypoExitsTwoNamingTheKeyAndTheFix() {
    JobRun run = JobRun.of("config", "--set", "mlcycle.storage.rooot=x");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("mlcycle.storage.rooot"), run.err());
    assertTrue(run.err().contains("Did you mean 'mlcycle.storage.root'?"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for a user error:\n" + run.err());
  }

  /**
   * A wrong value in the section a job uses is exit 2 naming the key, before any session starts: the run is
   * not even recorded in _mlcycle/runs, which needs Spark.
   */
  @Test
  void aBadValueInTheSectionAJobUsesExitsTwoBeforeSparkStarts() {
    for (String[] job : List.of(new String[] {"score", "pipeline.scoring.mode=cannary", "pipeline.scoring.mode"},
        new String[] {"retrain", "pipeline.monitoring.retrain-to=prod", "pipeline.monitoring.retrain-to"},
        new String[] {"train", "pipeline.model.folds=1", "pipeline.model.folds"})) {
      JobRun run = runJob(job[0], "--pipeline", "flights", "--set", job[1]);
      assertEquals(2, run.code(), job[0] + ": " + run.err());
      assertTrue(run.err().contains(job[2]) && run.err().contains("--set"), run.err());
      assertFalse(Files.exists(tempDir.resolve("root").resolve("_mlcycle").resolve("runs")),
          job[0] + " started Spark before refusing its settings");
    }
  }

  @Test
  void malformedArgumentsAreUsageErrors() {
    assertEquals(2, JobRun.of("config", "--set", "novalue").code());
    assertEquals(2, JobRun.of("config", "--no-such-option").code());
    JobRun missing = JobRun.of("config", "--config", tempDir.resolve("absent.conf").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("absent.conf"), missing.err());
  }

  @Test
  void summaryIsTheLastLineOfStdoutAndGoesToSummaryOut() throws IOException {
    Path file = tempDir.resolve("out/summary.json");
    JobRun run = JobRun.of("config", "--run-id", "run-42", "--summary-out", file.toString());
    assertEquals(0, run.code());
    JsonNode summary = run.summary();
    assertEquals("config", summary.get("job").asText());
    assertEquals("run-42", summary.get("run_id").asText());
    assertEquals("succeeded", summary.get("status").asText());
    assertEquals(0, summary.get("exit_code").asInt());
    for (String field : List.of("seconds", "inputs", "outputs", "counts", "message")) {
      assertTrue(summary.has(field), field);
    }
    assertEquals(summary, new ObjectMapper().readTree(Files.readString(file)));
  }

  @Test
  void configPrintsTheResolvedTreeWithSecretsRedacted() {
    JobRun run = JobRun.of("config", "--set", "mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=hunter2",
        "--set", "mlcycle.storage.root=/data/lake");
    assertEquals(0, run.code());
    assertTrue(run.out().contains("/data/lake"), run.out());
    assertFalse(run.out().contains("hunter2"), run.out());
    assertFalse(run.err().contains("hunter2"), run.err());
  }

  @Test
  void doctorChecksSparkAndADeltaRoundTripOnTheStorageRoot() throws IOException {
    JobRun run = runJob("doctor");
    assertEquals(0, run.code(), run.err());
    JsonNode counts = run.summary().get("counts");
    assertEquals(5, counts.get("storage_roundtrip_rows").asInt());
    assertEquals(0, counts.get("executor_processes").asInt(), "local mode runs tasks in the driver");
    try (var left = Files.list(tempDir.resolve("root/_mlcycle/doctor"))) {
      assertEquals(0, left.count(), "the scratch table is removed");
    }
  }

  @Test
  void unexpectedFailureExitsOneWithTheStackTraceOnlyWhenVerbose() {
    JobRun quiet = runJob("doctor", "--set", "mlcycle.storage.root=nosuchfs://bucket/x");
    assertEquals(1, quiet.code());
    assertTrue(quiet.err().contains("unexpected failure"), quiet.err());
    assertFalse(quiet.err().contains("\tat "), quiet.err());

    JobRun verbose = runJob("doctor", "--set", "mlcycle.storage.root=nosuchfs://bucket/x", "--verbose");
    assertEquals(1, verbose.code());
    assertTrue(verbose.err().contains("\tat "), verbose.err());
  }

  @Test
  void theConfigSwitchPrintsTheStackTraceAsVerboseDoes() {
    JobRun configured = runJob("doctor", "--set", "mlcycle.storage.root=nosuchfs://bucket/x",
        "--set", "mlcycle.log.verbose=true");
    assertEquals(1, configured.code());
    assertTrue(configured.err().contains("\tat "), configured.err());
  }
}
