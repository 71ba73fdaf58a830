package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job contract as an orchestrator sees it: exit codes, messages, and the JSON summary line. */
class RunnerTest extends SparkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One run of the runner: its exit code, stdout and stderr. */
  record Run(int code, String out, String err) {
    JsonNode summary() throws IOException {
      String[] lines = out.strip().split("\n");
      return JSON.readTree(lines[lines.length - 1]);
    }
  }

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Runner runner = new Runner(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());
    int code = runner.execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs a Spark job with this test's own storage root and the test JVM's small local master. */
  private Run runJob(String job, String... more) {
    List<String> args = new ArrayList<>(List.of(job, "--set", "mlcycle.storage.root=" + tempDir.resolve("root"),
        "--set", "mlcycle.spark.master=local[2]", "--set", "mlcycle.spark.shuffle-partitions=2"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void helpListsEveryJobOneLineEachAndTheExitCodes() {
    Run run = run("--help");
    assertEquals(0, run.code());
    for (String job : List.of("demo", "ingest", "validate", "features", "train", "runs", "config", "doctor")) {
      assertTrue(run.out().matches("(?s).*\\n  " + job + " +\\S.*"), "lists " + job + ":\n" + run.out());
    }
    assertTrue(run.out().contains("Exit codes:"), run.out());
    assertTrue(run.out().contains("4  model gate failed"), run.out());
  }

  @Test
  void jobHelpShowsItsOptions() {
    Run run = run("config", "--help");
    assertEquals(0, run.code());
    for (String option : List.of("--config", "--pipeline", "--run-id", "--set", "--summary-out", "--verbose")) {
      assertTrue(run.out().contains(option), option + " in:\n" + run.out());
    }
  }

  @Test
  void unknownJobExitsTwoAndListsTheJobs() throws IOException {
    Run run = run("nosuchjob");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("'nosuchjob'"), run.err());
    assertTrue(run.err().contains("demo, ingest, validate, features, train, runs, config, doctor"), run.err());
    assertEquals(2, run.summary().get("exit_code").asInt());
    assertEquals("usage_error", run.summary().get("status").asText());
  }

  @Test
  void noJobIsAUsageError() {
    Run run = run();
    assertEquals(2, run.code());
    assertTrue(run.err().contains("no job given"), run.err());
  }

  @Test
  void configTypoExitsTwoNamingTheKeyAndTheFix() {
    Run run = run("config", "--set", "mlcycle.storage.rooot=x");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("mlcycle.storage.rooot"), run.err());
    assertTrue(run.err().contains("Did you mean 'mlcycle.storage.root'?"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for a user error:\n" + run.err());
  }

  @Test
  void malformedArgumentsAreUsageErrors() {
    assertEquals(2, run("config", "--set", "novalue").code());
    assertEquals(2, run("config", "--no-such-option").code());
    Run missing = run("config", "--config", tempDir.resolve("absent.conf").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("absent.conf"), missing.err());
  }

  @Test
  void summaryIsTheLastLineOfStdoutAndGoesToSummaryOut() throws IOException {
    Path file = tempDir.resolve("out/summary.json");
    Run run = run("config", "--run-id", "run-42", "--summary-out", file.toString());
    assertEquals(0, run.code());
    JsonNode summary = run.summary();
    assertEquals("config", summary.get("job").asText());
    assertEquals("run-42", summary.get("run_id").asText());
    assertEquals("succeeded", summary.get("status").asText());
    assertEquals(0, summary.get("exit_code").asInt());
    for (String field : List.of("seconds", "inputs", "outputs", "counts", "message")) {
      assertTrue(summary.has(field), field);
    }
    assertEquals(summary, JSON.readTree(Files.readString(file)));
  }

  @Test
  void configPrintsTheResolvedTreeWithSecretsRedacted() {
    Run run = run("config", "--set", "mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=hunter2",
        "--set", "mlcycle.storage.root=/data/lake");
    assertEquals(0, run.code());
    assertTrue(run.out().contains("/data/lake"), run.out());
    assertFalse(run.out().contains("hunter2"), run.out());
    assertFalse(run.err().contains("hunter2"), run.err());
  }

  @Test
  void doctorChecksSparkAndADeltaRoundTripOnTheStorageRoot() throws IOException {
    Run run = runJob("doctor");
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
    Run quiet = runJob("doctor", "--set", "mlcycle.storage.root=nosuchfs://bucket/x");
    assertEquals(1, quiet.code());
    assertTrue(quiet.err().contains("unexpected failure"), quiet.err());
    assertFalse(quiet.err().contains("\tat "), quiet.err());

    Run verbose = runJob("doctor", "--set", "mlcycle.storage.root=nosuchfs://bucket/x", "--verbose");
    assertEquals(1, verbose.code());
    assertTrue(verbose.err().contains("\tat "), verbose.err());
  }
}
