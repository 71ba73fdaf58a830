package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.mlcycle.base.ExitCode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The Airflow DAG calls only jobs and options that exist, and branches on the exit codes mlcycle defines. */
class OrchestrationDagTest {
  private static final Pattern CALL = Pattern.compile("mlcycle\\(\"([a-z]+)\"((?:,\\s*[^,]+?)*?),\\s*run_id=");
  private static final Pattern OPTION = Pattern.compile("\"(--[a-z-]+)\"");

  private static String dag() throws IOException {
    Path file = Stream.of(Path.of("orchestration/flights_dag.py"), Path.of("../orchestration/flights_dag.py"))
        .filter(Files::isRegularFile).findFirst().orElseThrow();
    return Files.readString(file);
  }

  @Test
  void everyJobAndOptionTheDagPassesExists() throws IOException {
    Map<String, CommandLine> jobs = Jobs.all().stream().map(Supplier::get).map(CommandLine::new)
        .collect(Collectors.toMap(CommandLine::getCommandName, c -> c));
    Matcher call = CALL.matcher(dag());
    List<String> called = new ArrayList<>();
    while (call.find()) {
      String job = call.group(1);
      called.add(job);
      assertTrue(jobs.containsKey(job), "the DAG runs '" + job + "', which is not a job: " + jobs.keySet());
      Matcher option = OPTION.matcher(call.group(2));
      while (option.find()) {
        assertTrue(jobs.get(job).getCommandSpec().findOption(option.group(1)) != null,
            job + " has no option " + option.group(1));
      }
    }
    assertEquals(List.of("ingest", "validate", "score", "features", "monitor", "retrain", "report"), called);
    String common = dag().substring(dag().indexOf("command = ["), dag().indexOf("completed ="));
    Matcher option = OPTION.matcher(common);
    while (option.find()) {
      String name = option.group(1);
      // spark-submit's own options, then mlcycle's, which every job must take.
      assertTrue(List.of("--master", "--class", "--conf").contains(name)
          || jobs.get("ingest").getCommandSpec().findOption(name) != null, "every job takes " + name);
    }
  }

  @Test
  void theDagBranchesOnTheDataQualityAndModelGateExitCodes() throws IOException {
    String dag = dag();
    String codes = Stream.of(ExitCode.SUCCESS, ExitCode.FAILURE, ExitCode.USAGE, ExitCode.DATA_QUALITY,
        ExitCode.MODEL_GATE).map(c -> String.valueOf(c.code())).collect(Collectors.joining(", "));
    assertTrue(dag.contains("OK, FAILURE, USAGE, DATA_QUALITY, MODEL_GATE = " + codes), "the exit-code contract");
    assertTrue(dag.contains("if code == DATA_QUALITY:") && dag.contains("if code == MODEL_GATE:"));
  }
}
