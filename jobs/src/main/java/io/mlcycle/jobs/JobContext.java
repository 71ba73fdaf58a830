package io.mlcycle.jobs;

import io.mlcycle.base.Errors;
import io.mlcycle.base.RunIds;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.config.Settings;
import io.mlcycle.io.Storage;
import io.mlcycle.pipeline.PipelineSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Everything a job may use, handed in by the runner: the session (started on first use), settings,
 * storage, run id, clock, the summary it fills, and the stream for what the user reads.
 */
public final class JobContext {
  private final Settings settings;
  private final Optional<PipelineSettings> pipeline;
  private final Storage storage;
  private final String runId;
  private final Clock clock;
  private final String user;
  private final Supplier<SparkSession> sparkFactory;
  private final PrintStream out;
  private final RunSummary summary = new RunSummary();
  private SparkSession spark;

  public JobContext(Settings settings, Optional<PipelineSettings> pipeline, String runId, Clock clock, String user,
                    Supplier<SparkSession> sparkFactory, PrintStream out) {
    this.settings = settings;
    this.pipeline = pipeline;
    this.storage = Storage.at(settings.storageRoot());
    this.runId = runId;
    this.clock = clock;
    this.user = user;
    this.sparkFactory = sparkFactory;
    this.out = out;
  }

  public synchronized SparkSession spark() {
    if (spark == null) {
      spark = sparkFactory.get();
    }
    return spark;
  }

  /**
   * A context for one step of a composite job (the demo, a chain): the same session, settings, clock and
   * output, its own summary, and its own run id: {@code <run id>-<step>}, with a leading UTC time
   * ({@code 20261127T135012Z-...}, as the runner writes them) moved to now, so that run ids keep sorting
   * in the order the runs started.
   */
  public JobContext child(String step) {
    String id = runId.matches("^\\d{8}T\\d{6}Z-.*")
        ? RunIds.TIME.format(clock.instant()) + runId.substring(16) : runId;
    return new JobContext(settings, pipeline, id + "-" + step, clock, user, this::spark, out);
  }

  /** Whether a session was started (the runner stops only what it started). */
  public synchronized boolean sparkStarted() {
    return spark != null;
  }

  public Settings settings() {
    return settings;
  }

  /** The pipeline's typed settings; a job that needs one fails with exit 2 when the settings name none. */
  public PipelineSettings pipeline() {
    return pipeline.orElseThrow(() -> Errors.noPipeline(settings.source()));
  }

  /** The runtime a stage action is given: this job's session (started on first use), storage, clock, user, run id. */
  public StageRuntime runtime() {
    return new StageRuntime(this::spark, storage, clock, user, runId);
  }

  public Storage storage() {
    return storage;
  }

  public String runId() {
    return runId;
  }

  public Clock clock() {
    return clock;
  }

  /** Who runs the job, as recorded with runs, registrations and alias moves. */
  public String user() {
    return user;
  }

  /** Where a job prints what the user reads (tables, paths). The summary line always comes last. */
  public PrintStream out() {
    return out;
  }

  public RunSummary summary() {
    return summary;
  }
}
