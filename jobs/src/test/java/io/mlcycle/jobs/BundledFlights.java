package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.features.FlightsFixture;
import io.mlcycle.pipeline.PipelineSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shipped flights pipeline on the bundled months, run through the runner against a storage root of
 * the test's own, with a one-point grid so that training stays quick.
 */
final class BundledFlights {
  private final Path lake;
  private final List<String> sets;
  private final List<JobRun> runs = new ArrayList<>();

  /** @param sets further config overrides, key=value */
  BundledFlights(Path lake, String... sets) {
    this.lake = lake;
    this.sets = List.of(sets);
  }

  static Path repository() {
    return FlightsFixture.pipelineFile().getParent().getParent().getParent();
  }

  static Path month(String month) {
    return repository().resolve("data/flights/raw/" + month + ".csv");
  }

  static Path airports() {
    return repository().resolve("data/airports.csv");
  }

  /**
   * The shipped pipeline's quality rules with the airports reference file's absolute path (the shipped
   * path is relative to the repository, where {@code ./mlcycle} runs, and the tests run in {@code jobs/}),
   * less the freshness rule, whose measure is the age of the data on the wall clock.
   */
  static String shippedRules() {
    String airports = "{ path = \"" + BundledFlights.airports() + "\", column = iata }";
    return "pipeline.quality.rules=["
        + "{ type = not-null, columns = [flight_id, date, origin, destination, delay], severity = drop }, "
        + "{ type = range, column = delay, min = -120, max = 1500, severity = drop }, "
        + "{ type = allowed, column = origin, reference = " + airports + ", severity = drop }, "
        + "{ type = allowed, column = destination, reference = " + airports + ", severity = drop }, "
        + "{ type = regex, column = origin, pattern = \"^[A-Z0-9]{3}$\", severity = warn }, "
        + "{ type = unique, columns = [flight_id], severity = drop }, "
        + "{ type = sql, name = origin-differs-from-destination, expression = \"origin <> destination\", "
        + "severity = drop }, "
        + "{ type = max-null-fraction, column = delay, max = 0.05, severity = warn }, "
        + "{ type = min-row-count, min = 10, severity = error }]";
  }

  JobRun run(String job, String... more) {
    JobRun run = JobRun.of(arguments(job, more));
    runs.add(run);
    return run;
  }

  /** Every run made through {@link #run} so far, in order: what a scan of outputs reads. */
  List<JobRun> runs() {
    return List.copyOf(runs);
  }

  /** The job in a JVM of its own, whose Spark runs with {@code master} (e.g. {@code local[1]}). */
  JobRun runInOwnJvm(String master, String job, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of(arguments(job, more)));
    args.addAll(List.of("--set", "mlcycle.spark.master=" + master));
    return JobRun.inOwnJvm(args.toArray(String[]::new));
  }

  /** The runner's arguments for {@code job} on this root, with the overrides, then {@code more}. */
  String[] arguments(String job, String... more) {
    List<String> args = new ArrayList<>(List.of(job, "--pipeline", FlightsFixture.pipelineFile().toString()));
    overrides().forEach(set -> args.addAll(List.of("--set", set)));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** The pipeline's typed settings as the runner reads them for these runs, to call stage actions directly. */
  PipelineSettings pipeline() {
    return PipelineSettings.of(ConfigLoader.load(new ConfigRequest(Optional.empty(),
        Optional.of(FlightsFixture.pipelineFile().toString()), overrides()))).orElseThrow();
  }

  private List<String> overrides() {
    List<String> overrides = new ArrayList<>(List.of("mlcycle.spark.master=local[2]",
        "mlcycle.storage.root=" + lake,
        "pipeline.reference-tables.airports.path=" + airports(),
        "pipeline.model.grid.reg-param=[0.001]",
        "pipeline.model.min-train-rows=100"));
    overrides.addAll(sets);
    return overrides;
  }

  JobRun succeeded(String job, String... more) {
    JobRun run = run(job, more);
    assertEquals(0, run.code(), job + " failed: " + run.err() + run.out());
    return run;
  }
}
