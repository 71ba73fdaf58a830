package io.mlcycle.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The flights loop under {@code kill -9}. The same commands run twice, each root of its own: once cleanly,
 * in this JVM; then with faults, where an attempt runs as an orchestrator would start it, in a JVM of its
 * own, and is killed (SIGKILL) the moment a commit file it writes appears (watched with inotify) or at a
 * random time, and then the same command runs again. Every table and model file of the faulty root is
 * then held to the clean one ({@link RootComparison}), and every output, log, file and table row of both
 * is searched for a secret planted in every command's configuration.
 *
 * <p>Short mode kills once at each job's first commit and three times at random (a dozen kills; the reruns
 * run in this JVM). Full mode kills at every commit of every command: each attempt is killed at its first
 * new commit and the next one started until one ends by itself, so every commit the command makes is the
 * last before a kill once; plus one kill at a random time per command, and a rerun of every finished
 * command, which must not move any table.
 */
final class FaultInjection {
  enum Mode { SHORT, FULL }

  /** One command of the loop; its run id is fixed, so both runs name their runs alike. */
  record Step(int index, String job, List<String> args) {
    String runId() {
      return job + "-" + index;
    }

    @Override
    public String toString() {
      return index + " " + job + (args.isEmpty() ? "" : " " + String.join(" ", args).replaceAll("\\S*/", ""));
    }
  }

  /** What the run found: the figures and every failure (wrong exit code, secret seen, step never done). */
  record Report(Mode mode, long seed, int steps, int cleanCommits, int kills, int randomKills, int attempts,
                int reruns, RootComparison.Outcome comparison, List<String> failures, String text) {}

  private static final Duration ATTEMPT_LIMIT = Duration.ofMinutes(5);
  private static final int MAX_ATTEMPTS_PER_STEP = 60;

  private final Mode mode;
  private final long seed;
  private final Random random;
  private final Path work;
  private final SparkSession spark;
  private final PlantedSecret secret;
  private final List<String> failures = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final Map<String, int[]> killsByJob = new TreeMap<>();
  private int attempts;
  private int reruns;
  private int randomKills;

  FaultInjection(Mode mode, long seed, Path work, SparkSession spark, PlantedSecret secret) {
    this.mode = mode;
    this.seed = seed;
    this.random = new Random(seed);
    this.work = work;
    this.spark = spark;
    this.secret = secret;
  }

  /** The loop: four months through ingest, validate, features, train, evaluate, score, monitor, retrain, promote. */
  static List<Step> loop(Mode mode) {
    List<List<String>> commands = new ArrayList<>(List.of(
        List.of("ingest", "--input", BundledFlights.month("2001-01").toString()),
        List.of("ingest", "--input", BundledFlights.month("2001-02").toString()),
        List.of("validate"),
        List.of("features"),
        List.of("train"),
        List.of("evaluate", "--run", "train-5"),
        List.of("ingest", "--input", BundledFlights.month("2001-03").toString()),
        List.of("validate"),
        List.of("score", "--batch", "2001-03"),
        List.of("features"),
        List.of("monitor", "--batch", "2001-03"),
        List.of("retrain", "--set", "pipeline.monitoring.min-new-rows=1000",
            "--set", "pipeline.monitoring.cooldown=0s"),
        List.of("promote", "--version", "2")));
    if (mode == Mode.FULL) {
      commands.addAll(List.of(
          List.of("ingest", "--input", BundledFlights.month("2001-04").toString()),
          List.of("validate"),
          List.of("score", "--batch", "2001-04"),
          List.of("features"),
          List.of("monitor", "--batch", "2001-04")));
    }
    List<Step> steps = new ArrayList<>();
    for (List<String> command : commands) {
      steps.add(new Step(steps.size() + 1, command.get(0), command.subList(1, command.size())));
    }
    return steps;
  }

  Report run() throws Exception {
    Path clean = Files.createDirectories(work.resolve("clean"));
    Path faulty = Files.createDirectories(work.resolve("faulty"));
    BundledFlights cleanFlights = new BundledFlights(clean, BundledFlights.shippedRules());
    BundledFlights faultyFlights = new BundledFlights(faulty, BundledFlights.shippedRules());
    List<Step> steps = loop(mode);
    Map<Step, Integer> codes = new LinkedHashMap<>();
    Map<Step, Double> seconds = new LinkedHashMap<>();
    int cleanCommits = 0;
    for (Step step : steps) {
      int before = commits(clean);
      long started = System.nanoTime();
      JobRun run = inProcess(cleanFlights, step);
      seconds.put(step, (System.nanoTime() - started) / 1e9);
      codes.put(step, run.code());
      int made = commits(clean) - before;
      cleanCommits += made;
      log.add(String.format("clean  %-24s exit %d, %d commits, %.1f s", step, run.code(), made, seconds.get(step)));
    }
    for (Step step : steps) {
      faultyStep(faultyFlights, faulty, step, codes.get(step), seconds.get(step));
    }
    RootComparison.Outcome comparison = RootComparison.compare(spark, clean, faulty);
    secretsFailurePaths();
    failures.addAll(secret.scan(spark, clean, faulty, work.resolve("failure-paths")));
    int kills = killsByJob.values().stream().mapToInt(k -> k[0] + k[1]).sum();
    String text = report(steps.size(), cleanCommits, kills, comparison);
    Files.writeString(work.resolve("report-" + mode.name().toLowerCase() + ".txt"), text);
    return new Report(mode, seed, steps.size(), cleanCommits, kills, randomKills, attempts, reruns, comparison,
        List.copyOf(failures), text);
  }

  private void faultyStep(BundledFlights flights, Path root, Step step, int expected, double cleanSeconds)
      throws Exception {
    boolean firstOfJob = !killsByJob.containsKey(step.job());
    killsByJob.putIfAbsent(step.job(), new int[2]);
    boolean randomKill = mode == Mode.FULL
        || firstOfJob && List.of("validate", "train", "retrain").contains(step.job());
    boolean commitKill = mode == Mode.FULL || firstOfJob;
    Integer finished = null;
    if (randomKill) {
      // An attempt in its own JVM takes its start-up and its cold first use beyond what this warm JVM needs.
      double reference = 8 + 2 * cleanSeconds;
      double at = reference * (mode == Mode.FULL ? 0.1 + 0.9 * random.nextDouble() : 0.2 + 0.6 * random.nextDouble());
      Attempt attempt = attempt(flights, root, step, Kill.at(Duration.ofMillis((long) (at * 1000))));
      if (attempt.killed()) {
        killsByJob.get(step.job())[1]++;
        randomKills++;
      } else {
        finished = attempt.code();
      }
    }
    if (commitKill) {
      for (int n = 0; ; n++) {
        if (n == MAX_ATTEMPTS_PER_STEP) {
          failures.add(step + ": still committing after " + n + " killed attempts");
          return;
        }
        Attempt attempt = attempt(flights, root, step, Kill.AT_FIRST_COMMIT);
        if (!attempt.killed()) {
          finished = attempt.code();
          break;
        }
        killsByJob.get(step.job())[0]++;
        if (mode == Mode.SHORT) {
          break;
        }
      }
    }
    if (finished == null || mode == Mode.SHORT) {
      reruns++;
      finished = inProcess(flights, step).code();
    }
    if (finished != expected) {
      failures.add(step + ": exit " + finished + " after the faults, " + expected + " in the clean run");
    }
    if (mode == Mode.FULL) {
      Map<String, Long> before = versions(root);
      reruns++;
      int again = inProcess(flights, step).code();
      Map<String, Long> after = versions(root);
      if (again != expected || !before.equals(after)) {
        failures.add(step + ": the rerun of the finished command exited " + again + " and moved tables "
            + before + " -> " + after);
      }
    }
  }

  /** When to kill an attempt: at its first new commit file, or at a time after its start. */
  record Kill(Duration after) {
    static final Kill AT_FIRST_COMMIT = new Kill(null);

    static Kill at(Duration after) {
      return new Kill(after);
    }
  }

  record Attempt(boolean killed, int code, String commit) {}

  private Attempt attempt(BundledFlights flights, Path root, Step step, Kill kill) throws Exception {
    attempts++;
    String name = String.format("%03d-%s", attempts, step.runId());
    Path attemptsDir = Files.createDirectories(work.resolve("attempts"));
    Path out = attemptsDir.resolve(name + ".out");
    Path err = attemptsDir.resolve(name + ".err");
    Path logs = attemptsDir.resolve(name + "-logs");
    secret.watch(out, err, logs);
    List<String> command = JobRun.ownJvmCommand(logs, arguments(flights, step));
    long started = System.nanoTime();
    try (CommitWatcher watcher = new CommitWatcher(root)) {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      CompletableFuture<Path> trigger = kill.after() == null ? watcher.firstCommit()
          : CompletableFuture.supplyAsync(() -> (Path) null,
              CompletableFuture.delayedExecutor(kill.after().toMillis(), TimeUnit.MILLISECONDS));
      CompletableFuture<Object> endOrKill = CompletableFuture.anyOf(trigger, process.onExit());
      try {
        endOrKill.get(ATTEMPT_LIMIT.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        process.destroyForcibly().waitFor();
        failures.add(step + ": attempt " + name + " ran over " + ATTEMPT_LIMIT);
        return new Attempt(true, -1, "timeout");
      }
      boolean alive = process.isAlive();
      if (alive) {
        process.destroyForcibly();
      }
      process.waitFor();
      double seconds = (System.nanoTime() - started) / 1e9;
      String at = kill.after() == null ? (trigger.isDone() && !trigger.isCompletedExceptionally()
          ? String.valueOf(root.relativize(trigger.getNow(root))) : "-") : kill.after().toMillis() + " ms";
      log.add(String.format("faulty %-24s attempt %s: %s after %.1f s (%s)", step, name,
          alive ? "killed" : "exit " + process.exitValue(), seconds, at));
      return new Attempt(alive, alive ? -1 : process.exitValue(), at);
    }
  }

  private String[] arguments(BundledFlights flights, Step step) {
    List<String> more = new ArrayList<>(step.args());
    more.addAll(List.of("--run-id", step.runId(), "--set", secret.setting()));
    return flights.arguments(step.job(), more.toArray(String[]::new));
  }

  private JobRun inProcess(BundledFlights flights, Step step) {
    JobRun run = JobRun.of(arguments(flights, step));
    secret.watch(run);
    return run;
  }

  /**
   * The failure paths a secret can meet in the configuration, on a root of their own (they are no part of the
   * loop): a value that does not parse as HOCON (a password starting with "[") is taken as a string, and a
   * secret under a key mlcycle does not know is refused with exit 2; neither echoes the value.
   */
  private void secretsFailurePaths() throws Exception {
    BundledFlights flights = new BundledFlights(Files.createDirectories(work.resolve("failure-paths")),
        BundledFlights.shippedRules());
    Map<String, List<String>> paths = new LinkedHashMap<>();
    paths.put("unparseable-secret", List.of("--set", secret.unparseableSetting()));
    paths.put("unknown-secret-key", List.of("--set", secret.unknownKeySetting()));
    Map<String, Integer> expected = Map.of("unparseable-secret", 0, "unknown-secret-key", 2);
    for (Map.Entry<String, List<String>> path : paths.entrySet()) {
      Path out = work.resolve("attempts/" + path.getKey() + ".out");
      Path err = work.resolve("attempts/" + path.getKey() + ".err");
      Path logs = work.resolve("attempts/" + path.getKey() + "-logs");
      secret.watch(out, err, logs);
      List<String> args = new ArrayList<>(List.of("--input", BundledFlights.month("2001-01").toString()));
      args.addAll(path.getValue());
      Process process = new ProcessBuilder(JobRun.ownJvmCommand(logs, flights.arguments("ingest",
          args.toArray(String[]::new)))).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      attempts++;
      if (!process.waitFor(ATTEMPT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      if (process.exitValue() != expected.get(path.getKey())) {
        failures.add(path.getKey() + " exited " + process.exitValue() + ", not " + expected.get(path.getKey()) + ": "
            + Files.readString(err));
      }
      log.add(String.format("secret %-24s exit %d", path.getKey(), process.exitValue()));
    }
  }

  /** The number of commit files under {@code root} (the Runner's attempt log left out). */
  private static int commits(Path root) throws IOException {
    try (Stream<Path> tree = Files.walk(root)) {
      return (int) tree.filter(Files::isRegularFile).filter(file -> CommitWatcher.isCommit(root, file)).count();
    }
  }

  private static Map<String, Long> versions(Path root) throws IOException {
    Map<String, Long> versions = new TreeMap<>();
    for (String table : RootComparison.tables(root)) {
      if (!table.equals(RootComparison.RUNS)) {
        versions.put(table, RootComparison.version(root.resolve(table)));
      }
    }
    return versions;
  }

  private String report(int steps, int cleanCommits, int kills, RootComparison.Outcome comparison) {
    StringBuilder text = new StringBuilder();
    text.append(String.format("fault injection, %s mode, seed %d%n", mode.name().toLowerCase(), seed));
    log.forEach(line -> text.append(line).append('\n'));
    text.append("kills by job (at a commit / at a random time):\n");
    killsByJob.forEach((job, k) -> text.append(String.format("  %-9s %2d / %d%n", job, k[0], k[1])));
    text.append(String.format("commands %d, clean-run commits %d, kills %d (%d at a commit, %d at random), "
            + "attempts %d, reruns in this JVM %d%n", steps, cleanCommits, kills, kills - randomKills, randomKills,
        attempts, reruns));
    text.append(String.format("compared: %d tables (%d rows), %d model files; differences: %d%n",
        comparison.tables(), comparison.rows(), comparison.modelFiles(), comparison.differences().size()));
    comparison.differences().forEach(line -> text.append("  difference: ").append(line).append('\n'));
    text.append("failures: ").append(failures.size()).append('\n');
    failures.forEach(line -> text.append("  failure: ").append(line).append('\n'));
    return text.toString();
  }
}
