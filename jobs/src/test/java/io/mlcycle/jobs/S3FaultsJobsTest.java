package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.config.Settings;
import io.mlcycle.io.Storage;
import io.mlcycle.quality.QualityLog;
import io.mlcycle.testing.FaultyEndpoint;
import io.mlcycle.testing.S3ProxyServer;
import io.mlcycle.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store failing under a job. The jobs reach S3Proxy through a {@link FaultyEndpoint}: the server
 * is stopped the moment ingest's bronze commit lands, frozen (every request unanswered) under validate,
 * answers every request with 503 Slow Down under features, and passes traffic slowly under an ingest. Each
 * failing job gives up after the configured retries with exit 1, naming the endpoint and the cause, and no
 * table moves; once the store is back, the same command completes what the job owed, and no row is lost or
 * doubled. A slow store within the timeouts only makes the job slower.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3FaultsJobsTest {
  @RegisterExtension
  static final S3ProxyServer S3 = new S3ProxyServer();
  @TempDir
  static Path local;
  private static String bucket;
  private static BundledFlights flights;
  private static Storage storage;
  private static FaultyEndpoint proxy;

  private static SparkSession spark() {
    return TestSpark.session();
  }

  @BeforeAll
  static void januaryIngestedOnS3() throws Exception {
    bucket = S3.createBucket();
    proxy = new FaultyEndpoint(S3.port());
    List<String> sets = new ArrayList<>(List.of(S3.storageSets(bucket, "lake", proxy.endpoint())));
    sets.add(BundledFlights.shippedRules());
    sets.addAll(List.of("mlcycle.storage.s3.retry.attempts=2", "mlcycle.storage.s3.retry.interval=100ms",
        "mlcycle.storage.s3.connect-timeout=2s", "mlcycle.storage.s3.request-timeout=3s"));
    flights = new BundledFlights(local, sets.toArray(String[]::new));
    Settings settings = ConfigLoader.load(new ConfigRequest(Optional.empty(), Optional.empty(), sets));
    S3.connect(spark().sparkContext().hadoopConfiguration(), bucket, settings);
    storage = Storage.at(settings.storageRoot());
    flights.succeeded("ingest", "--input", BundledFlights.month("2001-01").toString());
  }

  private static void assertStoreFailure(JobRun run) {
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("the object store at " + proxy.endpoint() + " (mlcycle.storage.s3.endpoint)")
        && run.err().contains("after 2 attempts (mlcycle.storage.s3.retry.attempts)")
        && run.err().contains("run the same command again"), run.err());
  }

  private static long rows(String table, String where) {
    return spark().read().format("delta").load(table).where(where).count();
  }

  /** The store goes away right after ingest's bronze commit, before the batch's quality report. */
  @Test
  @Order(1)
  void aStoreStoppedMidIngestFailsItAndTheRerunCompletesTheBatchOnce() throws Exception {
    Path log = S3.blobDir().resolve(bucket + "/lake/bronze/flights/_delta_log");
    CompletableFuture<Void> stopped = stopWhenCommitted(log, "00000000000000000001.json");
    JobRun failed = flights.run("ingest", "--input", BundledFlights.month("2001-02").toString());
    stopped.get();
    assertStoreFailure(failed);

    S3.start();
    String batch = "_batch_id = '2001-02'";
    long landed = rows(storage.bronze("flights"), batch);
    assertTrue(landed > 0, "the bronze commit had landed when the store stopped");
    JobRun rerun = flights.succeeded("ingest", "--input", BundledFlights.month("2001-02").toString());
    long reports = rows(storage.system(QualityLog.TABLE), "batch_id = '2001-02'");
    assertTrue(reports > 0, "the rerun wrote the batch's quality report: " + rerun.out());
    assertEquals(landed, rows(storage.bronze("flights"), batch), "the batch's rows landed once");
    JobRun again = flights.succeeded("ingest", "--input", BundledFlights.month("2001-02").toString());
    assertEquals("nothing_to_do", again.summary().get("status").asText(), again.out());
    assertEquals(reports, rows(storage.system(QualityLog.TABLE), "batch_id = '2001-02'"));
  }

  /** A store that accepts connections and answers nothing: validate gives up within its timeouts. */
  @Test
  @Order(2)
  void aStoreThatStopsAnsweringFailsValidateWithoutMovingSilverAndTheRerunCompletes() throws Exception {
    JobRun failed = underFault(S3::pause, S3::resume, "validate");
    assertStoreFailure(failed);
    assertTrue(!io.mlcycle.io.DeltaTables.exists(spark(), storage.silver("flights"))
        || rows(storage.silver("flights"), "true") == 0, "silver did not get a commit from the frozen run");
    flights.succeeded("validate");
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> silver = spark().read().format("delta")
        .load(storage.silver("flights"));
    assertEquals(List.of("2001-01", "2001-02"), silver.select("_batch_id").distinct().orderBy("_batch_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
    assertEquals(silver.select("flight_id").distinct().count(), silver.count(), "no row twice");
    JobRun again = flights.succeeded("validate");
    assertEquals("nothing_to_do", again.summary().get("status").asText(), again.out());
  }

  /** S3's throttling answer to every request: features fails without a feature table, then completes. */
  @Test
  @Order(3)
  void slowDownErrorsFailFeaturesWithoutATableAndTheRerunCompletes() throws Exception {
    long silver = spark().read().format("delta").load(storage.silver("flights")).select("_batch_id").count();
    JobRun failed = underFault(proxy::slowDownErrors, proxy::heal, "features");
    assertStoreFailure(failed);
    assertTrue(proxy.errorsAnswered() >= 2, "the store answered " + proxy.errorsAnswered() + " requests with 503");
    assertTrue(!io.mlcycle.io.DeltaTables.exists(spark(), storage.features("flights")),
        "no feature table from the throttled run");
    flights.succeeded("features");
    assertEquals(silver, rows(storage.features("flights"), "true"), "one feature row per silver row");
    JobRun again = flights.succeeded("features");
    assertEquals("nothing_to_do", again.summary().get("status").asText(), again.out());
  }

  /** A slow store within the request timeout: the batch lands whole, once. */
  @Test
  @Order(4)
  void aSlowStoreWithinTheTimeoutsOnlySlowsIngest() throws Exception {
    JobRun slow = underFault(() -> proxy.slow(20), proxy::heal, "ingest", "--input",
        BundledFlights.month("2001-03").toString());
    assertEquals(0, slow.code(), slow.err() + slow.out());
    com.fasterxml.jackson.databind.JsonNode counts = slow.summary().get("counts");
    assertEquals(counts.get("rows_read").asLong(), counts.get("rows_bronze").asLong()
        + counts.get("rows_quarantined").asLong(), slow.out());
    assertEquals(counts.get("rows_bronze").asLong(), rows(storage.bronze("flights"), "_batch_id = '2001-03'"),
        "the batch's rows landed once");
  }

  interface Fault {
    void apply() throws Exception;
  }

  /** The job run with {@code fault} on, and {@code healed} after it whatever the job did. */
  private static JobRun underFault(Fault fault, Fault healed, String job, String... more) throws Exception {
    fault.apply();
    try {
      return flights.run(job, more);
    } finally {
      healed.apply();
    }
  }

  /** Stops the server from another thread as soon as {@code file} appears in {@code folder}. */
  private static CompletableFuture<Void> stopWhenCommitted(Path folder, String file) throws Exception {
    WatchService watcher = folder.getFileSystem().newWatchService();
    folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
    return CompletableFuture.runAsync(() -> {
      try (watcher) {
        while (!Files.exists(folder.resolve(file))) {
          WatchKey key = watcher.take();
          key.pollEvents();
          key.reset();
        }
        S3.stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
