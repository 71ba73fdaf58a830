package io.mlcycle.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.testing.LostCommit;
import io.mlcycle.testing.PipelineFixture;
import io.mlcycle.testing.SparkTest;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ingest: raw CSV → bronze exactly once; what cannot be parsed → quarantine with its reasons. */
class IngestTest extends SparkTest {
  private PipelineFixture pipeline;

  @BeforeEach
  void setUp() {
    pipeline = new PipelineFixture(tempDir, spark());
  }

  @Test
  void malformedLinesGoToQuarantineWithRawTextAndReasonAndCountsReconcile() {
    String file = pipeline.file("2001-04.csv", PipelineFixture.HEADER,
        "F1,2001-04-01 10:00:00,5,300,SFO,LAX",
        "F2,2001-04-01 11:00:00,n/a,300,SFO,LAX",
        "F3,2001-04-01 11:00:00,7,SFO,LAX",
        "F4,04/01/2001 11:00,7,300,SFO,LAX",
        "F5,2001-04-01 12:00:00,,300,SFO,LAX,extra",
        "F6,2001-04-01 12:00:00,,300,,LAX");

    IngestResult result = pipeline.ingest("2001-04", file);

    assertEquals(6, result.rowsRead());
    assertEquals(2, result.rowsBronze());
    assertEquals(4, result.rowsQuarantined());
    assertEquals(result.rowsRead(), result.rowsBronze() + result.rowsQuarantined());
    Map<String, List<String>> reasons = quarantineReasons();
    assertEquals(List.of("malformed: delay is not a valid int"), reasons.get("F2,2001-04-01 11:00:00,n/a,300,SFO,LAX"));
    assertEquals(List.of("malformed: 5 fields, expected 6"), reasons.get("F3,2001-04-01 11:00:00,7,SFO,LAX"));
    assertEquals(List.of("malformed: date is not a valid timestamp"), reasons.get("F4,04/01/2001 11:00,7,300,SFO,LAX"));
    assertEquals(List.of("malformed: 7 fields, expected 6"), reasons.get("F5,2001-04-01 12:00:00,,300,SFO,LAX,extra"));

    List<Row> bronze = sql("SELECT flight_id, delay, origin, _batch_id, _source_file FROM delta.`%s` ORDER BY flight_id",
        pipeline.storage().bronze("flights"));
    assertEquals(List.of(row("F1", 5, "SFO", "2001-04", file), row("F6", null, null, "2001-04", file)), bronze);
    Row quarantined = sql("SELECT _batch_id, _stage, _source_file FROM delta.`%s` LIMIT 1",
        pipeline.storage().quarantine("flights")).get(0);
    assertEquals(row("2001-04", "ingest", file), quarantined);
    List<Row> quality = sql("SELECT rule, failed_rows, status FROM delta.`%s` WHERE stage = 'ingest' ORDER BY rule",
        pipeline.storage().system("quality"));
    assertEquals(List.of(row("encoding", 0L, "passed"), row("parse", 4L, "dropped"), row("schema-drift", 0L, "passed")),
        quality);
  }

  @Test
  void aRunKilledBetweenTheBronzeCommitAndItsReportIsCompletedByTheSameCommand() {
    String file = pipeline.file("2001-02.csv", PipelineFixture.HEADER, "F1,2001-02-01 10:00:00,5,300,SFO,LAX",
        "F2,2001-02-01 11:00:00,x,300,SFO,LAX");
    pipeline.ingest("2001-02", file);
    String quality = pipeline.storage().system("quality");
    List<Row> report = sql("SELECT rule, failed_rows, status, total_rows FROM delta.`%s` ORDER BY rule", quality);
    String bronze = pipeline.storage().bronze("flights");
    String quarantine = pipeline.storage().quarantine("flights");
    long bronzeVersion = DeltaTables.version(spark(), bronze);
    long quarantineVersion = DeltaTables.version(spark(), quarantine);
    LostCommit.undoLatest(quality);
    assertFalse(DeltaTables.exists(spark(), quality), "the kill came before the report's first commit");

    IngestResult rerun = pipeline.ingest("2001-02", file);

    assertEquals(report, sql("SELECT rule, failed_rows, status, total_rows FROM delta.`%s` ORDER BY rule", quality),
        "the report the killed run owed, once");
    assertEquals(bronzeVersion, DeltaTables.version(spark(), bronze), "no second bronze commit");
    assertEquals(quarantineVersion, DeltaTables.version(spark(), quarantine), "no second quarantine commit");
    assertEquals(1L, sql("SELECT count(*) FROM delta.`%s`", bronze).get(0).getLong(0));
    assertEquals(rerun.rowsRead(), rerun.rowsBronze() + rerun.rowsQuarantined());
    assertFalse(pipeline.ingest("2001-02", file).written(), "complete now: a third run writes nothing");
  }

  @Test
  void aRunKilledBetweenTheBronzeAndQuarantineCommitsIsCompletedByTheSameCommand() {
    String file = pipeline.file("2001-03.csv", PipelineFixture.HEADER, "F1,2001-03-01 10:00:00,5,300,SFO,LAX",
        "F2,2001-03-01 11:00:00,x,300,SFO,LAX");
    pipeline.ingest("2001-03", file);
    String quality = pipeline.storage().system("quality");
    String quarantine = pipeline.storage().quarantine("flights");
    String bronze = pipeline.storage().bronze("flights");
    List<Row> report = sql("SELECT rule, failed_rows, status, total_rows FROM delta.`%s` ORDER BY rule", quality);
    List<Row> quarantined = sql("SELECT _raw, _reasons FROM delta.`%s`", quarantine);
    long bronzeVersion = DeltaTables.version(spark(), bronze);
    LostCommit.undoLatest(quality);
    LostCommit.undoLatest(quarantine);
    assertFalse(DeltaTables.exists(spark(), quarantine), "the kill came right after the bronze commit");

    IngestResult rerun = pipeline.ingest("2001-03", file);

    assertEquals(quarantined, sql("SELECT _raw, _reasons FROM delta.`%s`", quarantine), "the rejected row, once");
    assertEquals(report, sql("SELECT rule, failed_rows, status, total_rows FROM delta.`%s` ORDER BY rule", quality));
    assertEquals(bronzeVersion, DeltaTables.version(spark(), bronze), "no second bronze commit");
    assertEquals(List.of(2L, 1L, 1L), List.of(rerun.rowsRead(), rerun.rowsBronze(), rerun.rowsQuarantined()));
  }

  @Test
  void theSessionStaysSerializableAfterAnIngestSoMllibClosuresThatCaptureItStillRun() {
    pipeline.ingest("2001-04", pipeline.file("2001-04.csv", PipelineFixture.HEADER,
        "F1,2001-04-01 10:00:00,5,300,SFO,LAX", "F2,2001-04-01 11:00:00,x,300,SFO,LAX"));

    assertDoesNotThrow(() -> new ObjectOutputStream(OutputStream.nullOutputStream()).writeObject(spark()),
        "a binary logistic-regression model's summary holds the session, and its closures are serialized");
  }

  @Test
  void theSameBatchTwiceOrItsFilesUnderAnotherBatchIdAddNothing() {
    String file = pipeline.file("2001-01.csv", PipelineFixture.HEADER, "F1,2001-01-01 10:00:00,5,300,SFO,LAX",
        "F2,2001-01-01 11:00:00,x,300,SFO,LAX");
    IngestResult first = pipeline.ingest("2001-01", file);
    assertTrue(first.written());
    String bronze = pipeline.storage().bronze("flights");
    String quarantine = pipeline.storage().quarantine("flights");
    long bronzeVersion = DeltaTables.version(spark(), bronze);
    long quarantineVersion = DeltaTables.version(spark(), quarantine);

    IngestResult again = pipeline.ingest("2001-01", file);
    IngestResult renamed = pipeline.ingest("january", file);

    assertFalse(again.written());
    assertTrue(again.message().contains("already in bronze"), again.message());
    assertFalse(renamed.written());
    assertTrue(renamed.message().contains("already ingested (as batch [2001-01])"), renamed.message());
    assertEquals(bronzeVersion, DeltaTables.version(spark(), bronze));
    assertEquals(quarantineVersion, DeltaTables.version(spark(), quarantine));
    assertEquals(1, pipeline.table(bronze).size());
    assertEquals(1, pipeline.table(quarantine).size());
  }

  @Test
  void emptyAndHeaderOnlyFilesIngestNothingAndSaySo() {
    IngestResult empty = pipeline.ingest("empty", pipeline.file("empty.csv"));
    IngestResult headerOnly = pipeline.ingest("header", pipeline.file("header.csv", PipelineFixture.HEADER));

    assertFalse(empty.written());
    assertTrue(empty.message().contains("has no rows (empty files)"), empty.message());
    assertFalse(headerOnly.written());
    assertTrue(headerOnly.message().contains("has no rows (header only)"), headerOnly.message());
    assertFalse(DeltaTables.exists(spark(), pipeline.storage().bronze("flights")));
  }

  @Test
  void bytesThatAreNotUtf8QuarantineTheRowNamingTheColumn() {
    byte[] latin1 = (PipelineFixture.HEADER + "\nF1,2001-01-01 10:00:00,5,300,SFO,LAX\nF2,2001-01-01 10:00:00,5,300,S\u00c3O,LAX\n")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    IngestResult result = pipeline.ingest("latin1", pipeline.bytes("latin1.csv", latin1));

    assertEquals(1, result.rowsBronze());
    assertEquals(1, result.rowsQuarantined());
    assertEquals(List.of(List.of("invalid-encoding(origin)")), quarantineReasons().values().stream().toList());
  }

  @Test
  void aColumnOfTheWrongTypeQuarantinesEveryRowWithTheColumnNamed() {
    IngestResult result = pipeline.ingest("typed", pipeline.file("typed.csv", PipelineFixture.HEADER,
        "F1,2001-01-01 10:00:00,late,300,SFO,LAX", "F2,2001-01-01 10:00:00,early,300,SFO,LAX"));

    assertEquals(0, result.rowsBronze());
    assertEquals(2, result.rowsQuarantined());
    assertTrue(quarantineReasons().values().stream().allMatch(r -> r.equals(List.of("malformed: delay is not a valid int"))));
  }

  @Test
  void aWrongDelimiterFailsTheBatchNamingTheDelimiterAndWritesNothing() {
    String file = pipeline.file("semicolons.csv", PipelineFixture.HEADER.replace(',', ';'),
        "F1;2001-01-01 10:00:00;5;300;SFO;LAX");

    MlcycleException error = assertThrows(MlcycleException.class, () -> pipeline.ingest("semicolons", file));

    assertEquals(ExitCode.DATA_QUALITY, error.exitCode());
    assertTrue(error.getMessage().contains("pipeline.source.options.delimiter"), error.getMessage());
    assertTrue(error.getMessage().contains("missing [flight_id, date, delay, distance, origin, destination]"),
        error.getMessage());
    assertFalse(DeltaTables.exists(spark(), pipeline.storage().bronze("flights")));
  }

  @Test
  void extraAndMissingColumnsFollowTheSchemaDriftPolicy() {
    String extra = pipeline.file("extra.csv", PipelineFixture.HEADER + ",carrier", "F1,2001-01-01 10:00:00,5,300,SFO,LAX,UA");
    String missing = pipeline.file("missing.csv", "flight_id,date,delay,origin,destination", "F2,2001-01-01 10:00:00,5,SFO,LAX");

    MlcycleException failed = assertThrows(MlcycleException.class, () -> pipeline.ingest("extra", extra));
    assertEquals(ExitCode.DATA_QUALITY, failed.exitCode());
    assertTrue(failed.getMessage().contains("added [carrier]"), failed.getMessage());
    assertFalse(DeltaTables.exists(spark(), pipeline.storage().bronze("flights")));

    pipeline.set("pipeline.quality.schema-drift=ignore-extra");
    assertEquals(1, pipeline.ingest("extra", extra).rowsBronze());
    assertFalse(List.of(spark().read().format("delta").load(pipeline.storage().bronze("flights")).columns())
        .contains("carrier"));
    MlcycleException stillMissing = assertThrows(MlcycleException.class, () -> pipeline.ingest("missing", missing));
    assertTrue(stillMissing.getMessage().contains("missing [distance]"), stillMissing.getMessage());

    pipeline.set("pipeline.quality.schema-drift=evolve");
    String extra2 = pipeline.file("extra2.csv", PipelineFixture.HEADER + ",carrier", "F3,2001-01-01 10:00:00,5,300,SFO,LAX,AA");
    assertEquals(1, pipeline.ingest("extra2", extra2).rowsBronze());
    assertEquals(1, pipeline.ingest("missing", missing).rowsBronze());
    assertEquals(List.of(row("warned", "added [carrier] (policy evolve)")), sql("SELECT status, message FROM delta.`%s` "
        + "WHERE batch_id = 'extra2' AND rule = 'schema-drift'", pipeline.storage().system("quality")));
    assertEquals(List.of(row("F1", null, 300), row("F2", null, null), row("F3", "AA", 300)),
        sql("SELECT flight_id, carrier, distance FROM delta.`%s` ORDER BY flight_id", pipeline.storage().bronze("flights")));
  }

  @Test
  void aTruncatedParquetFileFailsNamingTheFileAndWritesNothing() throws Exception {
    pipeline.set("pipeline.source.format=parquet");
    String good = tempDir.resolve("parquet-good").toString();
    spark().sql("SELECT 'F1' AS flight_id, TIMESTAMP'2001-01-01 10:00:00' AS date, 5 AS delay, 300 AS distance, "
        + "'SFO' AS origin, 'LAX' AS destination").coalesce(1).write().parquet(good);
    java.nio.file.Path part;
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(good))) {
      part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(part);
    String truncated = pipeline.bytes("truncated.parquet", java.util.Arrays.copyOf(bytes, bytes.length / 2));

    MlcycleException error = assertThrows(MlcycleException.class, () -> pipeline.ingest("truncated", truncated));

    assertEquals(ExitCode.DATA_QUALITY, error.exitCode());
    assertTrue(error.getMessage().contains("truncated.parquet is not a readable Parquet file"), error.getMessage());
    assertFalse(DeltaTables.exists(spark(), pipeline.storage().bronze("flights")));
    assertEquals(1, pipeline.ingest("good", part.toUri().toString()).rowsBronze());
  }

  @Test
  void jsonLinesAndMultilineJsonQuarantineRecordsThatDoNotParse() {
    pipeline.set("pipeline.source.format=json");
    String lines = pipeline.file("flights.json",
        "{\"flight_id\":\"F1\",\"date\":\"2001-01-01 10:00:00\",\"delay\":5,\"distance\":300,\"origin\":\"SFO\",\"destination\":\"LAX\"}",
        "{\"flight_id\":\"F2\",\"delay\":\"late\"}",
        "{not json");
    IngestResult result = pipeline.ingest("json", lines);
    assertEquals(3, result.rowsRead());
    assertEquals(1, result.rowsBronze());
    assertEquals(2, result.rowsQuarantined());
    assertTrue(quarantineReasons().containsKey("{not json"));

    pipeline.set("pipeline.source.format=multiline-json");
    String document = pipeline.file("doc.json", "[", "{\"flight_id\":\"F3\",", "\"date\":\"2001-01-02 10:00:00\",",
        "\"delay\":-3, \"distance\":100, \"origin\":\"SFO\", \"destination\":\"OAK\"}", "]");
    assertEquals(1, pipeline.ingest("doc", document).rowsBronze());
  }

  @Test
  void aPathThatDoesNotExistIsAUsageErrorNamingIt() {
    String missing = tempDir.resolve("nowhere/2001-01.csv").toString();
    MlcycleException error = assertThrows(MlcycleException.class,
        () -> InputFiles.resolve(missing, spark().sparkContext().hadoopConfiguration()));
    assertEquals(ExitCode.USAGE, error.exitCode());
    assertTrue(error.getMessage().contains(missing), error.getMessage());
  }

  @Test
  void aFolderOrGlobResolvesToItsFilesAndTheBatchIdComesFromTheFileName() {
    pipeline.file("2001-01.csv", PipelineFixture.HEADER);
    pipeline.file("2001-02.csv", PipelineFixture.HEADER);
    String folder = tempDir.resolve("raw").toString();
    var config = spark().sparkContext().hadoopConfiguration();
    assertEquals(2, InputFiles.resolve(folder, config).files().size());
    InputFiles one = InputFiles.resolve(folder + "/2001-0[1].csv", config);
    assertEquals("2001-01", one.defaultBatchId());
    MlcycleException ambiguous = assertThrows(MlcycleException.class,
        () -> InputFiles.resolve(folder + "/*.csv", config).defaultBatchId());
    assertTrue(ambiguous.getMessage().contains("--batch-id"), ambiguous.getMessage());
  }

  private Map<String, List<String>> quarantineReasons() {
    return pipeline.table(pipeline.storage().quarantine("flights")).stream()
        .collect(Collectors.toMap(r -> r.getAs("_raw"), r -> r.getList(r.fieldIndex("_reasons"))));
  }
}
