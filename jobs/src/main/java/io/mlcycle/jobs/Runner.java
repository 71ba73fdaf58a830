package io.mlcycle.jobs;

import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.Settings;
import io.mlcycle.base.Errors;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.base.RunIds;
import io.mlcycle.io.Storage;
import io.mlcycle.config.StoreFailure;
import io.mlcycle.openlineage.OpenLineageSettings;
import io.mlcycle.openlineage.RunLineage;
import io.mlcycle.pipeline.PipelineSettings;
import io.mlcycle.spark.RuntimeVersions;
import io.mlcycle.spark.SparkSessionFactory;
import io.mlcycle.tracking.TrackingTables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * The one owner of {@code main}, locally and as spark-submit's {@code --class}: parses the command line,
 * loads and validates the config before any Spark work, builds the session, runs the job, prints the
 * one-line JSON summary last on stdout and exits with the job's exit code.
 */
@Command(name = "mlcycle",
    synopsisSubcommandLabel = "<job>",
    description = "The machine-learning lifecycle as batch Spark jobs over Delta Lake tables.",
    commandListHeading = "%nJobs:%n",
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success, including \"nothing new to do\" (said in the summary)",
        "  1  unexpected failure (bug, infrastructure); --verbose or the log has the stack trace",
        "  2  usage or configuration error: the message names the key, the file and the fix",
        "  3  data-quality gate failed: nothing was published downstream",
        "  4  model gate failed (no-go): the candidate was recorded but not promoted",
        "",
        "Run 'mlcycle <job> --help' for the options of one job."})
public final class Runner {
  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
  /** Stack traces of unexpected failures go here: to the log file, and to stderr only with --verbose. */
  private static final Logger FAILURES = LoggerFactory.getLogger("io.mlcycle.failures");

  @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private JobContext lastContext;

  public Runner(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public static void main(String[] args) {
    Runner runner = new Runner(System.out, System.err, Clock.systemUTC());
    int code = runner.execute(args);
    runner.stopSpark();
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line to the end and returns the exit code; never exits the JVM. */
  public int execute(String... args) {
    long start = System.nanoTime();
    Instant startedAt = clock.instant();
    CommandLine cli = commandLine();
    String jobName = args.length > 0 && !args[0].startsWith("-") ? args[0] : "mlcycle";
    String runId = "";
    RunSummary summary = new RunSummary();
    ExitCode exitCode;
    CommonOptions options = null;
    Settings settings = null;
    Optional<RunLineage> lineage = Optional.empty();
    Throwable failure = null;
    try {
      ParseResult parsed = parse(cli, args);
      if (CommandLine.printHelpIfRequested(parsed)) {
        return ExitCode.SUCCESS.code();
      }
      if (!parsed.hasSubcommand()) {
        throw Errors.usage("Cannot run: no job given. " + "The jobs are: " + String.join(", ", jobNames(cli))
            + ". See 'mlcycle --help'.");
      }
      JobCommand job = (JobCommand) parsed.subcommand().commandSpec().userObject();
      options = job.common;
      runId = options.runId != null ? options.runId : newRunId();
      settings = ConfigLoader.load(options.configRequest());
      OpenLineageSettings openLineage = OpenLineageSettings.of(settings);
      Optional<PipelineSettings> pipeline = PipelineSettings.of(settings);
      lineage = RunLineage.of(openLineage, Storage.at(settings.storageRoot()), jobName, settings.pipeline(), runId,
          clock);
      JobContext context = new JobContext(settings, pipeline, runId, clock,
          System.getProperty("user.name"), sparkFactory(settings, job.needsSpark(), lineage), out);
      lastContext = context;
      summary = context.summary();
      LOG.info("{} {}: starting (config {}, pipeline {}, storage {})", jobName, runId, settings.source(),
          settings.pipelineSource().orElse("none"), context.storage().root());
      lineage.ifPresent(RunLineage::start);
      job.run(context);
      exitCode = ExitCode.SUCCESS;
    } catch (MlcycleException e) {
      failure = e;
      exitCode = e.exitCode();
      summary.message(e.getMessage());
      err.println("mlcycle " + jobName + ": " + e.getMessage());
    } catch (Exception | LinkageError e) {
      failure = e;
      exitCode = ExitCode.FAILURE;
      String described = "unexpected failure: " + StoreFailure.describe(e, settings).orElse(e.toString());
      summary.message(described);
      FAILURES.error("{} {}: unexpected failure", jobName, runId, e);
      err.println("mlcycle " + jobName + ": " + described);
      if ((options != null && options.verbose) || (settings != null && settings.verbose())) {
        err.println(ExceptionUtils.getStackTrace(e));
      } else {
        err.println("(the stack trace is in the log; run with --verbose to print it)");
      }
    }
    finishLineage(lineage, summary, exitCode, failure);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info("{} {}: {} in {} s", jobName, runId, exitCode.status(), String.format("%.1f", seconds));
    String line = summary.toJson(jobName, runId, exitCode, seconds);
    recordRun(jobName, runId, exitCode, startedAt, seconds, line);
    out.println(line);
    out.flush();
    return writeSummary(options, line, exitCode).code();
  }

  /**
   * Sends the run's COMPLETE or FAIL event, before the run is recorded (so {@code _mlcycle/runs} is no output
   * of every job), and counts the events sent in the summary.
   */
  private static void finishLineage(Optional<RunLineage> lineage, RunSummary summary, ExitCode exitCode,
                                    Throwable failure) {
    lineage.ifPresent(events -> {
      try (events) {
        summary.count("openlineage_events", events.finish(new RunLineage.Ending(exitCode,
            summary.status(exitCode), summary.message(), Optional.ofNullable(failure), summary.inputs(),
            summary.inputFiles())));
      }
    });
  }

  /**
   * Appends this execution to {@code _mlcycle/runs} when the job used Spark (a job that never started
   * Spark, such as {@code config}, touched no table). A failure to record is logged, never fatal.
   */
  private void recordRun(String job, String runId, ExitCode exitCode, Instant startedAt, double seconds,
                         String summaryLine) {
    if (lastContext == null || !lastContext.sparkStarted()) {
      return;
    }
    try {
      SparkSession spark = lastContext.spark();
      RuntimeVersions versions = RuntimeVersions.of(spark);
      new TrackingTables(spark, lastContext.storage()).recordRun(
          new TrackingTables.RunRecord(runId, job,
              lastContext.settings().pipeline().orElse(""), exitCode.status(), exitCode.code(),
              Timestamp.from(startedAt), Timestamp.from(clock.instant()), seconds,
              lastContext.user(), versions.mlcycle(), versions.spark(), versions.delta(),
              lastContext.settings().hash(), summaryLine));
    } catch (Exception e) {
      // Delta and Hadoop throw IOExceptions undeclared; recording must never change the job's outcome.
      LOG.warn("{} {}: could not record the run in _mlcycle/runs: {}", job, runId, e.toString());
    }
  }

  private ParseResult parse(CommandLine cli, String[] args) {
    if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
      throw Errors.unknownJob(args[0], jobNames(cli));
    }
    try {
      return cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      String which = args.length > 0 && !args[0].startsWith("-") ? "mlcycle " + args[0] : "mlcycle";
      throw Errors.usage("Cannot parse the command line: " + e.getMessage() + ". See '" + which + " --help'.");
    }
  }

  private CommandLine commandLine() {
    CommandLine cli = new CommandLine(this);
    for (Supplier<JobCommand> job : Jobs.all()) {
      CommandLine sub = new CommandLine(job.get());
      sub.getCommandSpec().mixinStandardHelpOptions(true);
      cli.addSubcommand(sub);
    }
    cli.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    return cli;
  }

  private static List<String> jobNames(CommandLine cli) {
    return List.copyOf(cli.getSubcommands().keySet());
  }

  /** Starts the session on first use; the run's lineage, when on, notes the tables' versions as it starts. */
  private static Supplier<SparkSession> sparkFactory(Settings settings, boolean needsSpark,
                                                     Optional<RunLineage> lineage) {
    return () -> {
      if (!needsSpark) {
        throw new IllegalStateException("this job declared that it needs no Spark");
      }
      long start = System.nanoTime();
      SparkSession spark = SparkSessionFactory.create(settings);
      LOG.info("Spark {} session on {} in {} s", spark.version(), spark.sparkContext().master(),
          String.format("%.1f", (System.nanoTime() - start) / 1e9));
      lineage.ifPresent(events -> events.sessionStarted(spark));
      return spark;
    };
  }

  private String newRunId() {
    return RunIds.TIME.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  private ExitCode writeSummary(CommonOptions options, String line, ExitCode exitCode) {
    if (options == null || options.summaryOut == null) {
      return exitCode;
    }
    Path file = options.summaryOut;
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, line + System.lineSeparator());
      return exitCode;
    } catch (IOException e) {
      err.println("mlcycle: cannot write the summary to " + file + ": " + e.getMessage());
      return exitCode == ExitCode.SUCCESS ? ExitCode.FAILURE : exitCode;
    }
  }

  /** Stops the session this runner's job started; tests that share a session never call it. */
  void stopSpark() {
    if (lastContext != null && lastContext.sparkStarted()) {
      lastContext.spark().stop();
    }
  }
}
