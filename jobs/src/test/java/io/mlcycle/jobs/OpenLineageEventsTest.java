package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mlcycle.base.ExitCode;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.openlineage.OpenLineageSettings;
import io.mlcycle.openlineage.RunLineage;
import io.mlcycle.testing.PipelineFixture;
import io.mlcycle.testing.SparkTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The OpenLineage events of jobs run through the runner: START, then COMPLETE or FAIL, each valid against
 * the OpenLineage JSON schema, with the Delta tables read and written as datasets; sent to a file under the
 * storage root, or posted to a real HTTP server on the loopback interface.
 */
class OpenLineageEventsTest extends SparkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path lake() {
    return tempDir.resolve("lake");
  }

  private JobRun run(String job, String... more) throws IOException {
    Path pipeline = tempDir.resolve("mini.conf");
    if (!Files.exists(pipeline)) {
      Files.writeString(pipeline, """
          pipeline {
            name = mini
            entity-key = [flight_id]
            event-time = date
            source.options.timestampFormat = "yyyy-MM-dd HH:mm:ss"
          %s
          }
          """.formatted(PipelineFixture.SCHEMA));
    }
    List<String> args = new ArrayList<>(List.of(job, "--pipeline", pipeline.toString(),
        "--set", "mlcycle.storage.root=" + lake(), "--set", "mlcycle.spark.master=local[2]"));
    args.addAll(List.of(more));
    return JobRun.of(PipelineFixture.CLOCK, args.toArray(String[]::new));
  }

  private List<JsonNode> fileEvents() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(lake().resolve("openlineage/events.jsonl"))) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  private static JsonNode dataset(JsonNode event, String side, String name) {
    return StreamSupport.stream(event.path(side).spliterator(), false)
        .filter(d -> d.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + side + " dataset " + name + " in " + event));
  }

  private static void assertValid(JsonNode event) {
    assertEquals(List.of(), OpenLineageSchemas.violations(event), event.toString());
  }

  @Test
  void fileTransportWritesStartAndCompleteWithTheTablesReadAndWritten() throws Exception {
    Path raw = Files.createDirectories(tempDir.resolve("raw")).resolve("2001-01.csv");
    Files.writeString(raw, PipelineFixture.HEADER + "\nF1,2001-01-01 10:00:00,5,300,SFO,LAX\n"
        + "F2,2001-01-01 11:00:00,7,300,SFO,LAX\nF3,2001-01-01 11:00:00,n/a,300,SFO,LAX\n");

    JobRun ingest = run("ingest", "--input", raw.toString(), "--run-id", "ingest-1",
        "--set", "mlcycle.lineage.openlineage.transport=file");
    assertEquals(0, ingest.code(), ingest.err());
    assertEquals(2, ingest.summary().get("counts").get("openlineage_events").asInt(), ingest.summaryLine());

    List<JsonNode> events = fileEvents();
    assertEquals(List.of("START", "COMPLETE"), events.stream().map(e -> e.get("eventType").asText()).toList());
    events.forEach(OpenLineageEventsTest::assertValid);
    JsonNode start = events.get(0);
    JsonNode complete = events.get(1);
    assertEquals(start.at("/run/runId"), complete.at("/run/runId"), "one OpenLineage run");
    assertEquals("ingest-1", complete.at("/run/facets/mlcycle/runId").asText());
    assertEquals(0, complete.at("/run/facets/mlcycle/exitCode").asInt());
    assertEquals("mlcycle", complete.at("/job/namespace").asText());
    assertEquals("mini.ingest", complete.at("/job/name").asText());

    JsonNode bronze = dataset(complete, "outputs", "bronze/mini");
    assertEquals(lake().toUri().toString().replaceAll("/$", ""), bronze.get("namespace").asText());
    long bronzeVersion = DeltaTables.version(spark(), lake().resolve("bronze/mini").toString());
    assertEquals(Long.toString(bronzeVersion), bronze.at("/facets/version/datasetVersion").asText());
    assertEquals(2, bronze.at("/outputFacets/outputStatistics/rowCount").asLong(), "the rows written to bronze");
    assertTrue(bronze.at("/facets/schema/fields").toString().contains("\"name\":\"flight_id\""), bronze.toString());
    assertEquals(1, dataset(complete, "outputs", "quarantine/mini").at("/outputFacets/outputStatistics/rowCount")
        .asLong(), "the malformed line quarantined");
    assertEquals("file", dataset(complete, "inputs", raw.toString()).get("namespace").asText());

    JsonNode read = readsOf("bronze/mini", bronzeVersion);
    assertValid(read);
    JsonNode input = dataset(read, "inputs", "bronze/mini");
    assertEquals(Long.toString(bronzeVersion), input.at("/facets/version/datasetVersion").asText());
    assertEquals(bronze.at("/facets/schema"), input.at("/facets/schema"), "the schema of the version read");
    assertEquals(0, read.get("outputs").size(), "a run that wrote nothing has no outputs");
  }

  /**
   * The COMPLETE event of a run whose summary says it read {@code table} at {@code version} and wrote
   * nothing: the inputs as the runner hands them over (a job that reads, such as validate, costs far more).
   */
  private JsonNode readsOf(String table, long version) throws IOException {
    Path file = tempDir.resolve("reads.jsonl");
    OpenLineageSettings settings = new OpenLineageSettings(OpenLineageSettings.Transport.FILE, "mlcycle",
        Optional.of(file), Optional.empty());
    try (RunLineage lineage = RunLineage.of(settings, Storage.at(lake().toString()), "reader", Optional.of("mini"),
        "reader-1", PipelineFixture.CLOCK).orElseThrow()) {
      lineage.start();
      lineage.sessionStarted(spark());
      assertEquals(2, lineage.finish(new RunLineage.Ending(ExitCode.SUCCESS, "succeeded", "", Optional.empty(),
          Map.of(table, version), List.of())));
    }
    return JSON.readTree(Files.readAllLines(file).get(1));
  }

  @Test
  void aJobThatFailsAfterItStartedSendsFailWithItsError() throws Exception {
    String missing = tempDir.resolve("raw/2001-13.csv").toString();
    JobRun ingest = run("ingest", "--input", missing, "--set", "mlcycle.lineage.openlineage.transport=file");
    assertEquals(2, ingest.code(), ingest.err());

    List<JsonNode> events = fileEvents();
    assertEquals(List.of("START", "FAIL"), events.stream().map(e -> e.get("eventType").asText()).toList());
    events.forEach(OpenLineageEventsTest::assertValid);
    JsonNode fail = events.get(1);
    assertTrue(fail.at("/run/facets/errorMessage/message").asText().contains(missing + ": it does not exist"),
        fail.toString());
    assertEquals(2, fail.at("/run/facets/mlcycle/exitCode").asInt());
    assertEquals("usage_error", fail.at("/run/facets/mlcycle/status").asText());
  }

  @Test
  void httpTransportPostsEveryEventToTheLineageApi() throws Exception {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    List<String> paths = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      paths.add(exchange.getRequestURI().getPath());
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(201, -1);
      exchange.close();
    });
    server.start();
    try {
      JobRun run = run("config", "--set", "mlcycle.lineage.openlineage.transport=http",
          "--set", "mlcycle.lineage.openlineage.http.url=http://127.0.0.1:" + server.getAddress().getPort());
      assertEquals(0, run.code(), run.err());
      assertEquals(2, run.summary().get("counts").get("openlineage_events").asInt(), run.summaryLine());
    } finally {
      server.stop(0);
    }
    assertEquals(List.of("/api/v1/lineage", "/api/v1/lineage"), paths);
    List<JsonNode> events = new ArrayList<>();
    for (String body : bodies) {
      events.add(JSON.readTree(body));
    }
    assertEquals(List.of("START", "COMPLETE"), events.stream().map(e -> e.get("eventType").asText()).toList());
    events.forEach(OpenLineageEventsTest::assertValid);
    assertEquals("mini.config", events.get(1).at("/job/name").asText());
  }

  @Test
  void aLineageApiThatIsDownNeverChangesTheJobsOutcome() throws Exception {
    HttpServer stopped = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stopped.start();
    int port = stopped.getAddress().getPort();
    stopped.stop(0);
    JobRun run = run("config", "--set", "mlcycle.lineage.openlineage.transport=http",
        "--set", "mlcycle.lineage.openlineage.http.url=http://127.0.0.1:" + port,
        "--set", "mlcycle.lineage.openlineage.http.timeout=1s");
    assertEquals(0, run.code(), run.err());
    assertEquals(0, run.summary().get("counts").get("openlineage_events").asInt(), run.summaryLine());
  }

  @Test
  void offByDefaultNothingIsSent() throws Exception {
    JobRun run = run("config");
    assertEquals(0, run.code(), run.err());
    assertFalse(run.summary().get("counts").has("openlineage_events"), run.summaryLine());
    assertFalse(Files.exists(lake().resolve("openlineage")));
  }

  /** A bad lineage setting is a configuration error: exit 2 naming the key, before Spark starts. */
  @Test
  void aBadLineageSettingExitsTwoNamingTheKeyBeforeSparkStarts() throws Exception {
    for (String[] bad : List.of(new String[] {"mlcycle.lineage.openlineage.transport=kafka",
            "mlcycle.lineage.openlineage.transport"},
        new String[] {"mlcycle.lineage.openlineage.transport=http", "mlcycle.lineage.openlineage.http.url"},
        new String[] {"mlcycle.lineage.openlineage.transprot=file", "Did you mean 'mlcycle.lineage.openlineage.transport'?"})) {
      JobRun run = run("doctor", "--set", bad[0]);
      assertEquals(2, run.code(), bad[0] + ": " + run.err());
      assertTrue(run.err().contains(bad[1]) && run.err().contains("--set"), run.err());
      assertFalse(Files.exists(lake().resolve("_mlcycle")), bad[0] + " started Spark before refusing its settings");
    }
  }
}
