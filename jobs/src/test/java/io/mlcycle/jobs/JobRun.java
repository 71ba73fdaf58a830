package io.mlcycle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** One run of mlcycle's Runner in this JVM, as an orchestrator sees it: the exit code, stdout and stderr. */
record JobRun(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JobRun of(String... args) {
    return of(Clock.systemUTC(), args);
  }

  static JobRun of(Clock clock, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Runner(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), clock).execute(args);
    return new JobRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The last line of stdout: the run's JSON summary. */
  String summaryLine() {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }

  JsonNode summary() throws IOException {
    return JSON.readTree(summaryLine());
  }
}
