package io.mlcycle.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.base.ExitCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run read, wrote and counted; rendered by the runner as the one-line JSON summary that ends
 * stdout: {@code job, run_id, status, exit_code, seconds, inputs, outputs, counts, message}.
 */
public final class RunSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Long> inputs = new LinkedHashMap<>();
  private final Map<String, Long> outputs = new LinkedHashMap<>();
  private final Map<String, Object> counts = new LinkedHashMap<>();
  private final List<String> inputFiles = new ArrayList<>();
  private String message = "";
  private boolean nothingToDo;

  /** A table this run read, at the Delta version it read. */
  public synchronized RunSummary input(String table, long version) {
    inputs.put(table, version);
    return this;
  }

  /** The tables this run read, at the versions it read. */
  public synchronized Map<String, Long> inputs() {
    return Map.copyOf(inputs);
  }

  /**
   * A file, folder or glob outside the storage root that this run read (ingest's raw input): an input of
   * its lineage events, not a field of the summary line.
   */
  public synchronized RunSummary inputFile(String location) {
    inputFiles.add(location);
    return this;
  }

  public synchronized List<String> inputFiles() {
    return List.copyOf(inputFiles);
  }

  /** A table this run wrote (or found already written), at its resulting Delta version. */
  public synchronized RunSummary output(String table, long version) {
    outputs.put(table, version);
    return this;
  }

  public synchronized RunSummary count(String name, Number value) {
    counts.put(name, value);
    return this;
  }

  public synchronized RunSummary count(String name, String value) {
    counts.put(name, value);
    return this;
  }

  public synchronized RunSummary message(String text) {
    this.message = text;
    return this;
  }

  /** Marks a successful run that found nothing new to do, and says why. */
  public synchronized RunSummary nothingToDo(String why) {
    this.nothingToDo = true;
    this.message = why;
    return this;
  }

  public synchronized String message() {
    return message;
  }

  /** The summary's status word for a run that ended with {@code exitCode}: nothing_to_do, or the exit code's. */
  public synchronized String status(ExitCode exitCode) {
    return exitCode == ExitCode.SUCCESS && nothingToDo ? "nothing_to_do" : exitCode.status();
  }

  public synchronized String toJson(String job, String runId, ExitCode exitCode, double seconds) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("job", job);
    line.put("run_id", runId);
    line.put("status", status(exitCode));
    line.put("exit_code", exitCode.code());
    line.put("seconds", Math.round(seconds * 1000) / 1000.0);
    line.put("inputs", inputs);
    line.put("outputs", outputs);
    line.put("counts", counts);
    line.put("message", message);
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render the run summary as JSON", e);
    }
  }
}
