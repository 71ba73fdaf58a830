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

  /**
   * One run of the Runner in a JVM of its own, started from this one's class path and module options: for a
   * Spark session configured unlike this JVM's (another master), as a scheduler would start the job.
   */
  static JobRun inOwnJvm(String... args) throws IOException, InterruptedException {
    java.nio.file.Path logs = java.nio.file.Files.createTempDirectory("mlcycle-logs");
    java.nio.file.Path out = java.nio.file.Files.createTempFile("mlcycle-job", ".out");
    java.nio.file.Path err = java.nio.file.Files.createTempFile("mlcycle-job", ".err");
    try {
      Process process = new ProcessBuilder(ownJvmCommand(logs, args)).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("the job did not finish in 5 minutes: " + java.nio.file.Files.readString(err));
      }
      return new JobRun(process.exitValue(), java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
    } finally {
      java.nio.file.Files.deleteIfExists(out);
      java.nio.file.Files.deleteIfExists(err);
    }
  }

  /**
   * The command line of the Runner in a JVM of its own: this JVM's java, class path and module options, the
   * launcher's {@code -XX:-DontCompileHugeMethods}, and its log file under {@code logs}. The tests' batches are
   * small, so the JVM compiles with C1 only ({@code -XX:TieredStopAtLevel=1}), as bench/README advises for
   * orchestrated small batches: a job of a few thousand rows then takes about a third less time.
   */
  static java.util.List<String> ownJvmCommand(java.nio.file.Path logs, String... args) {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> option.startsWith("--add-") || option.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
            || option.startsWith("-Djdk.reflect") || option.startsWith("-Dio.netty"))
        .forEach(command::add);
    command.addAll(java.util.List.of("-Xmx1g", "-XX:-DontCompileHugeMethods", "-XX:TieredStopAtLevel=1",
        "-Dmlcycle.log.dir=" + logs, "-cp", System.getProperty("java.class.path"), Runner.class.getName()));
    command.addAll(java.util.List.of(args));
    return command;
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
