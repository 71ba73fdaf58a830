package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a job from the spark-submit jar on a Spark cluster whose executors are separate JVMs
 * ({@code local-cluster[2,1,1024]}: a master and two workers, each launching its own executor process),
 * in a child JVM of its own so that {@code spark.testing} never touches the other tests.
 */
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void tasksRunInExecutorProcessesOtherThanTheDriver() throws Exception {
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(sparkJvmOptions());
    command.addAll(List.of("-Xmx1g", "-Dspark.testing=1", "-Dspark.test.home=" + sparkHome,
        "-Dlog4j2.configurationFile=" + System.getProperty("mlcycle.log4j2.config"),
        "-Dmlcycle.log.dir=" + dir.resolve("logs"),
        "-cp", classPath(), "io.mlcycle.jobs.Runner", "doctor",
        "--set", "mlcycle.spark.master=local-cluster[2,1,1024]",
        "--set", "mlcycle.storage.root=" + dir.resolve("root")));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().put("SPARK_TESTING", "1");
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    Process process = builder.start();
    boolean finished = process.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    String err = Files.readString(stderr);
    assertTrue(finished, "the cluster run did not finish in 4 minutes:\n" + err);
    assertEquals(0, process.exitValue(), err);

    List<String> lines = Files.readAllLines(stdout);
    JsonNode counts = JSON.readTree(lines.get(lines.size() - 1)).get("counts");
    long driver = counts.get("driver_pid").asLong();
    Set<Long> taskPids = Arrays.stream(counts.get("task_pids").asText().split(","))
        .map(Long::parseLong).collect(Collectors.toSet());
    assertFalse(taskPids.contains(driver), "no task ran in the driver: " + taskPids + " vs " + driver);
    assertTrue(counts.get("executor_processes").asInt() >= 1, counts.toString());
    assertEquals(5, counts.get("storage_roundtrip_rows").asInt(), "Delta works from the executors");
  }

  /** The module options Spark needs on Java 17, as this JVM got them from the build. */
  private static List<String> sparkJvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> option.startsWith("--add-") || option.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
            || option.startsWith("-Djdk.reflect") || option.startsWith("-Dio.netty"))
        .toList();
  }

  /**
   * Spark, Hadoop and the rest from this JVM's class path, mlcycle only from the spark-submit jar; every
   * entry absolute, since executors start in another working directory.
   */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    entries.add(Path.of(System.getProperty("mlcycle.spark.submit.jar")).toAbsolutePath().toString());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      String name = path.getFileName().toString();
      boolean ours = name.startsWith("mlcycle-") || path.endsWith("target/classes") || path.endsWith("target/test-classes");
      if (!ours) {
        entries.add(path.toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
