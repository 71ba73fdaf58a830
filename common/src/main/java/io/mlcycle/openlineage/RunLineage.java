package io.mlcycle.openlineage;

import io.mlcycle.base.ExitCode;
import io.mlcycle.io.Storage;
import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenLineage events of one job run: START when the job begins, then COMPLETE (exit 0) or FAIL (any
 * other exit code, with an error-message facet). The run's datasets need no help from the job: when the
 * job starts its Spark session, the version of every Delta table under the storage root is noted, and at
 * the end the tables whose version moved are the outputs, with schema, new version and what the new
 * commits wrote. The inputs are the tables (and versions) the job's summary says it read, and raw files it
 * read from outside the root. A job that never started Spark touched no table and has no table
 * datasets.
 *
 * <p>The OpenLineage run id is a UUID derived from mlcycle's run id, so a retried run (same
 * {@code --run-id}) is the same OpenLineage run; mlcycle's own id is in the {@code mlcycle} run facet.
 */
public final class RunLineage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLineage.class);

  private final OpenLineage openLineage;
  private final OpenLineageEmitter emitter;
  private final OpenLineageSettings settings;
  private final Storage storage;
  private final String job;
  private final Optional<String> pipeline;
  private final String runId;
  private final Clock clock;
  private SparkSession spark;
  private TableVersions before;
  private int sent;

  private RunLineage(OpenLineageSettings settings, Storage storage, String job, Optional<String> pipeline,
                     String runId, Clock clock) {
    this.openLineage = new OpenLineage(producer());
    this.emitter = OpenLineageEmitter.of(settings);
    this.settings = settings;
    this.storage = storage;
    this.job = job;
    this.pipeline = pipeline;
    this.runId = runId;
    this.clock = clock;
  }

  /** The lineage of one run, or none when the settings switch events off (then nothing is listed or sent). */
  public static Optional<RunLineage> of(OpenLineageSettings settings, Storage storage, String job,
                                        Optional<String> pipeline, String runId, Clock clock) {
    return settings.enabled()
        ? Optional.of(new RunLineage(settings, storage, job, pipeline, runId, clock)) : Optional.empty();
  }

  /**
   * How a run ended, as its summary says.
   *
   * @param status the summary's status word
   * @param failure the exception that ended the run, when it failed with one
   * @param inputTables the tables the run read, by path under the root, at the versions it read
   * @param inputFiles files, folders or globs the run read from outside the root
   */
  public record Ending(ExitCode exitCode, String status, String message, Optional<Throwable> failure,
                       Map<String, Long> inputTables, List<String> inputFiles) {}

  /** Sends START. */
  public void start() {
    send(event(OpenLineage.RunEvent.EventType.START, facets(null, null).build(), List.of(), List.of()));
  }

  /** Notes the version of every table under the root: called once, as the job's session starts, before any write. */
  public synchronized void sessionStarted(SparkSession session) {
    this.spark = session;
    try {
      before = TableVersions.under(session, storage);
    } catch (RuntimeException e) {
      LOG.warn("{} {}: cannot list the tables under {} for OpenLineage; the run's outputs go unreported: {}",
          job, runId, storage.root(), e.toString());
    }
  }

  /** Sends COMPLETE or FAIL, with the run's datasets; returns how many of this run's events were sent. */
  public synchronized int finish(Ending ending) {
    OpenLineage.RunFacetsBuilder facets = facets(ending.status(), ending.exitCode().code());
    if (ending.exitCode() != ExitCode.SUCCESS) {
      facets.errorMessage(openLineage.newErrorMessageRunFacet(ending.message(), "JAVA",
          ending.failure().filter(f -> ending.exitCode() == ExitCode.FAILURE).map(RunLineage::stackTrace)
              .orElse(null)));
    }
    List<OpenLineage.InputDataset> inputs = new ArrayList<>(files(ending.inputFiles()));
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    if (spark != null) {
      try {
        DeltaDatasets datasets = new DeltaDatasets(openLineage, spark, storage);
        inputs.addAll(datasets.inputs(ending.inputTables()));
        if (before != null) {
          outputs.addAll(datasets.outputs(before.changesTo(TableVersions.under(spark, storage))));
        }
      } catch (RuntimeException e) {
        LOG.warn("{} {}: cannot read the tables' versions for OpenLineage; the event goes without them: {}",
            job, runId, e.toString());
      }
    }
    OpenLineage.RunEvent.EventType type = ending.exitCode() == ExitCode.SUCCESS
        ? OpenLineage.RunEvent.EventType.COMPLETE : OpenLineage.RunEvent.EventType.FAIL;
    send(event(type, facets.build(), inputs, outputs));
    LOG.info("{} {}: {} OpenLineage events sent ({} inputs, {} outputs)", job, runId, sent, inputs.size(),
        outputs.size());
    return sent;
  }

  private List<OpenLineage.InputDataset> files(List<String> locations) {
    return locations.stream().map(DatasetId::file)
        .map(id -> openLineage.newInputDatasetBuilder().namespace(id.namespace()).name(id.name()).build())
        .toList();
  }

  private OpenLineage.RunFacetsBuilder facets(String status, Integer exitCode) {
    return openLineage.newRunFacetsBuilder().put("mlcycle",
        new MlcycleRunFacet(producer(), runId, job, pipeline.orElse(null), status, exitCode));
  }

  private OpenLineage.RunEvent event(OpenLineage.RunEvent.EventType type, OpenLineage.RunFacets runFacets,
                                     List<OpenLineage.InputDataset> inputs, List<OpenLineage.OutputDataset> outputs) {
    OpenLineage.JobFacets jobFacets = openLineage.newJobFacetsBuilder()
        .jobType(openLineage.newJobTypeJobFacet("BATCH", "MLCYCLE", "JOB", null)).build();
    return openLineage.newRunEventBuilder()
        .eventType(type)
        .eventTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .run(openLineage.newRun(openLineageRunId(settings.namespace(), runId), runFacets))
        .job(openLineage.newJob(settings.namespace(), pipeline.map(p -> p + "." + job).orElse(job), jobFacets))
        .inputs(inputs)
        .outputs(outputs)
        .build();
  }

  private void send(OpenLineage.RunEvent event) {
    if (emitter.emit(event)) {
      sent++;
    }
  }

  /** The OpenLineage run id of an mlcycle run: the same for the same namespace and run id, on every retry. */
  static UUID openLineageRunId(String namespace, String runId) {
    return UUID.nameUUIDFromBytes((namespace + "/" + runId).getBytes(StandardCharsets.UTF_8));
  }

  private static String stackTrace(Throwable failure) {
    java.io.StringWriter trace = new java.io.StringWriter();
    failure.printStackTrace(new java.io.PrintWriter(trace));
    return trace.toString();
  }

  private static URI producer() {
    String version = RunLineage.class.getPackage().getImplementationVersion();
    return URI.create("urn:mlcycle:" + (version == null ? "dev" : version));
  }

  @Override
  public void close() {
    emitter.close();
  }
}
