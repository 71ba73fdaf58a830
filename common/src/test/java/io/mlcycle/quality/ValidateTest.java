package io.mlcycle.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.testing.LostCommit;
import io.mlcycle.testing.PipelineFixture;
import io.mlcycle.testing.SparkTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** validate: bronze batch → silver through the rules; quarantine, duplicates, report, profile, PII, drift. */
class ValidateTest extends SparkTest {
  private static final String FLIGHT_RULES = PipelineFixture.SCHEMA + """
      quality.rules = [
        { type = not-null, columns = [origin, delay], severity = drop }
        { type = range, column = delay, min = -120, max = 1500, severity = drop }
        { type = allowed, column = origin, values = [SFO, LAX, ORD], severity = drop }
        { type = allowed, column = destination, reference { path = "%s", column = iata }, severity = drop }
        { type = unique, columns = [flight_id], severity = drop }
        { type = sql, name = different-airports, expression = "origin <> destination", severity = drop }
        { type = regex, column = flight_id, pattern = "^F[0-9]+$", severity = warn }
        { type = max-null-fraction, column = delay, max = 0.5, severity = warn }
        { type = min-row-count, min = %d, severity = error }
        { type = freshness, max-age = 7d, severity = warn }
      ]
      """;

  private PipelineFixture pipeline;
  private String airports;

  @BeforeEach
  void setUp() {
    pipeline = new PipelineFixture(tempDir, spark());
    airports = pipeline.file("airports.csv", "iata,name", "SFO,San Francisco", "LAX,Los Angeles", "ORD,Chicago");
  }

  @Test
  void aRunKilledBetweenTheSilverCommitAndItsReportsIsCompletedByTheSameCommand() {
    pipeline.body(FLIGHT_RULES.formatted(airports, 2));
    pipeline.ingest("2001-05", pipeline.file("2001-05.csv", PipelineFixture.HEADER,
        "F1,2001-05-01 10:00:00,5,300,SFO,LAX", "F1,2001-05-01 10:00:00,5,300,SFO,LAX",
        "F3,2001-05-01 11:00:00,99999,300,XXQ,LAX", "F5,2001-05-02 12:00:00,10,300,SFO,LAX"));
    ValidateResult first = pipeline.validate("2001-05");
    String quality = pipeline.storage().system("quality");
    String profiles = pipeline.storage().system("profiles");
    String report = "SELECT rule, failed_rows, status, total_rows FROM delta.`%s` WHERE stage = 'validate' ORDER BY rule";
    List<Row> rules = sql(report, quality);
    List<Row> profile = sql("SELECT `column`, `count`, nulls FROM delta.`%s` ORDER BY `column`", profiles);
    long silverVersion = DeltaTables.version(spark(), pipeline.storage().silver("flights"));
    long quarantineVersion = DeltaTables.version(spark(), pipeline.storage().quarantine("flights"));
    LostCommit.undoLatest(profiles);
    LostCommit.undoLatest(quality);

    assertEquals(List.of("2001-05"), pipeline.validation(Map.of()).pendingBatches(), "incomplete, so still pending");
    ValidateResult rerun = pipeline.validate("2001-05");

    assertEquals(rules, sql(report, quality), "the quality report the killed run owed, once");
    assertEquals(profile, sql("SELECT `column`, `count`, nulls FROM delta.`%s` ORDER BY `column`", profiles));
    assertEquals(silverVersion, DeltaTables.version(spark(), pipeline.storage().silver("flights")));
    assertEquals(quarantineVersion, DeltaTables.version(spark(), pipeline.storage().quarantine("flights")));
    assertEquals(List.of(first.rowsIn(), first.rowsSilver(), first.rowsQuarantined(), first.rowsDuplicate()),
        List.of(rerun.rowsIn(), rerun.rowsSilver(), rerun.rowsQuarantined(), rerun.rowsDuplicate()));
    assertEquals(List.of(), pipeline.validation(Map.of()).pendingBatches());
    assertFalse(pipeline.validate("2001-05").written(), "complete now: a third run writes nothing");
  }

  @Test
  void aFaultyBatchQuarantinesEachRowWithEveryFailedRuleDropsDuplicatesAndReconciles() {
    pipeline.body(FLIGHT_RULES.formatted(airports, 2));
    pipeline.ingest("2001-04", pipeline.file("2001-04.csv", PipelineFixture.HEADER,
        "F1,2001-04-01 10:00:00,5,300,SFO,LAX",
        "F1,2001-04-01 10:00:00,5,300,SFO,LAX",
        "F3,2001-04-01 11:00:00,99999,300,XXQ,LAX",
        "F4,2001-04-01 12:00:00,,300,  SFO ,LAX",
        "F5,2001-04-02 12:00:00,10,300,SFO,LAX",
        "F5,2001-04-02 12:00:00,20,400,SFO,LAX",
        "F6,2001-04-02 13:00:00,0,300,LAX,LAX",
        "bad-7,2001-04-03 13:00:00,-3,1200,ORD,SFO"));

    ValidateResult result = pipeline.validate("2001-04");

    assertEquals(8, result.rowsIn());
    assertEquals(1, result.rowsDuplicate());
    assertEquals(5, result.rowsQuarantined());
    assertEquals(2, result.rowsSilver());
    assertEquals(result.rowsIn(), result.rowsSilver() + result.rowsQuarantined() + result.rowsDuplicate());
    assertEquals(List.of(row("F1", 5, "SFO", "2001-04"), row("bad-7", -3, "ORD", "2001-04")),
        sql("SELECT flight_id, delay, origin, _batch_id FROM delta.`%s` ORDER BY flight_id",
            pipeline.storage().silver("flights")));
    Map<String, List<String>> reasons = pipeline.table(pipeline.storage().quarantine("flights")).stream()
        .filter(r -> r.getAs("_stage").equals("validate"))
        .collect(Collectors.groupingBy(r -> r.<String>getAs("_raw").substring(14, 16),
            Collectors.mapping(r -> String.join(" ", r.getList(r.fieldIndex("_reasons"))), Collectors.toList())));
    assertEquals(List.of("range(delay) allowed(origin)"), reasons.get("F3"));
    assertEquals(List.of("not-null(delay)"), reasons.get("F4"), "trimmed SFO passes allowed(origin)");
    assertEquals(List.of("unique(flight_id)", "unique(flight_id)"), reasons.get("F5"));
    assertEquals(List.of("different-airports"), reasons.get("F6"));
    assertEquals(List.of("warn"), sql("SELECT severity FROM delta.`%s` WHERE rule = 'regex(flight_id)' AND failed_rows = 1",
        pipeline.storage().system("quality")).stream().map(r -> r.getString(0)).toList());
    assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith("regex(flight_id)")), result.warnings().toString());
    assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith("freshness(date)")), result.warnings().toString());

    Row delay = sql("SELECT count, nulls, min, max, mean, table_version, size(quantiles), size(histogram) "
        + "FROM delta.`%s` WHERE column = 'delay'", pipeline.storage().system("profiles")).get(0);
    assertEquals(row(2L, 0L, "-3", "5", 1.0, 0L, 5, 2), delay);
    Row origin = sql("SELECT top_values FROM delta.`%s` WHERE column = 'origin'", pipeline.storage().system("profiles")).get(0);
    assertEquals(2, origin.getList(0).size());
    Row key = sql("SELECT top_values FROM delta.`%s` WHERE column = 'flight_id'",
        pipeline.storage().system("profiles")).get(0);
    assertTrue(key.isNullAt(0), "the one-column entity key's values are all distinct: no top values");

    long silverVersion = DeltaTables.version(spark(), pipeline.storage().silver("flights"));
    long quarantineVersion = DeltaTables.version(spark(), pipeline.storage().quarantine("flights"));
    ValidateResult again = pipeline.validate("2001-04");
    assertFalse(again.written());
    assertEquals(silverVersion, DeltaTables.version(spark(), pipeline.storage().silver("flights")));
    assertEquals(quarantineVersion, DeltaTables.version(spark(), pipeline.storage().quarantine("flights")));
  }

  @Test
  void aFailedErrorRuleFailsTheBatchWritesTheReportAndNothingReachesSilver() {
    pipeline.body(FLIGHT_RULES.formatted(airports, 100));
    pipeline.ingest("small", pipeline.file("small.csv", PipelineFixture.HEADER,
        "F1,2001-04-01 10:00:00,5,300,SFO,LAX", "F2,2001-04-01 10:00:00,99999,300,SFO,LAX"));

    MlcycleException error = assertThrows(MlcycleException.class, () -> pipeline.validate("small"));

    assertEquals(ExitCode.DATA_QUALITY, error.exitCode());
    assertTrue(error.getMessage().contains("min-row-count: the batch has 2 distinct rows (at least 100 required)"),
        error.getMessage());
    assertFalse(DeltaTables.exists(spark(), pipeline.storage().silver("flights")));
    assertFalse(DeltaTables.exists(spark(), pipeline.storage().quarantine("flights")), "no row of a failed batch moves");
    assertEquals(List.of(row("failed", -1L)), sql("SELECT status, table_version FROM delta.`%s` WHERE rule = 'min-row-count'",
        pipeline.storage().system("quality")));
  }

  @Test
  void nanInfinityAndAnAllNullColumnAreCaughtByRules() {
    pipeline.body("""
        schema = [
          { name = flight_id, type = string }
          { name = date, type = timestamp }
          { name = speed, type = double }
          { name = gate, type = string }
        ]
        quality.rules = [
          { type = max-null-fraction, column = gate, max = 0.1, severity = warn }
          { type = not-null, columns = [gate], severity = warn }
        ]
        """);
    pipeline.ingest("b1", pipeline.file("b1.csv", "flight_id,date,speed,gate",
        "F1,2001-04-01 10:00:00,400.5,", "F2,2001-04-01 10:00:00,NaN,", "F3,2001-04-01 10:00:00,Inf,",
        "F4,2001-04-01 10:00:00,-Inf,"));

    ValidateResult result = pipeline.validate("b1");

    assertEquals(1, result.rowsSilver());
    assertEquals(3, result.rowsQuarantined());
    assertEquals(List.of(List.of("not-null(gate)", "finite(speed)")),
        sql("SELECT DISTINCT _reasons FROM delta.`%s`", pipeline.storage().quarantine("flights")).stream()
            .map(r -> r.getList(0)).toList());
    assertEquals(List.of(row("warned", 1.0)), sql("SELECT status, metric FROM delta.`%s` WHERE rule = 'max-null-fraction(gate)'",
        pipeline.storage().system("quality")));
  }

  @Test
  void piiColumnsAreHashedWithTheKeyOrDroppedAndNeverReachQuarantineOrProfiles() {
    pipeline.body("""
        schema = [
          { name = flight_id, type = string }
          { name = date, type = timestamp }
          { name = passenger, type = string, pii = true }
        ]
        quality.rules = [ { type = regex, column = flight_id, pattern = "^F", severity = drop } ]
        """);
    pipeline.ingest("p1", pipeline.file("p1.csv", "flight_id,date,passenger",
        "F1,2001-04-01 10:00:00,Ada Lovelace", "X2,2001-04-01 10:00:00,Alan Turing"));

    MlcycleException noKey = assertThrows(MlcycleException.class, () -> pipeline.validate("p1"));
    assertEquals(ExitCode.USAGE, noKey.exitCode());
    assertTrue(noKey.getMessage().contains("MLCYCLE_PII_KEY"), noKey.getMessage());

    pipeline.validate("p1", Map.of("MLCYCLE_PII_KEY", "secret-1"));

    String hashed = sql("SELECT passenger FROM delta.`%s`", pipeline.storage().silver("flights")).get(0).getString(0);
    assertEquals(64, hashed.length());
    assertFalse(hashed.contains("Ada"));
    String raw = sql("SELECT _raw FROM delta.`%s`", pipeline.storage().quarantine("flights")).get(0).getString(0);
    assertTrue(raw.contains("X2") && !raw.contains("Turing") && !raw.contains("passenger"), raw);
    assertEquals(List.of(row(true, null, null, null, 1L)), sql("SELECT pii, min, max, top_values, count FROM delta.`%s` "
        + "WHERE column = 'passenger'", pipeline.storage().system("profiles")));

    pipeline.set("pipeline.pii.mode=drop");
    pipeline.ingest("p2", pipeline.file("p2.csv", "flight_id,date,passenger", "F3,2001-04-02 10:00:00,Grace Hopper"));
    pipeline.set("pipeline.quality.schema-drift=evolve");
    pipeline.validate("p2");
    assertEquals(List.of(row("F1", hashed), row("F3", null)),
        sql("SELECT flight_id, passenger FROM delta.`%s` ORDER BY flight_id", pipeline.storage().silver("flights")));
  }

  @Test
  void missingValuesAndOutliersAreImputedClippedOrDroppedAsConfigured() {
    pipeline.body(PipelineFixture.SCHEMA + """
        quality.handling = [
          { column = distance, missing = impute, impute = median }
          { column = delay, outliers = clip, min = -60, max = 600 }
          { column = origin, missing = drop }
        ]
        """);
    pipeline.ingest("h1", pipeline.file("h1.csv", PipelineFixture.HEADER,
        "F1,2001-04-01 10:00:00,5,100,SFO,LAX", "F2,2001-04-01 10:00:00,9000,,SFO,LAX",
        "F3,2001-04-01 10:00:00,-500,300,SFO,LAX", "F4,2001-04-01 10:00:00,1,200,,LAX"));

    ValidateResult result = pipeline.validate("h1");

    assertEquals(List.of(row("F1", 5, 100), row("F2", 600, 200), row("F3", -60, 300)),
        sql("SELECT flight_id, delay, distance FROM delta.`%s` ORDER BY flight_id", pipeline.storage().silver("flights")));
    assertEquals(1, result.rowsQuarantined());
    assertEquals(List.of(List.of("missing(origin)")), sql("SELECT _reasons FROM delta.`%s`",
        pipeline.storage().quarantine("flights")).stream().map(r -> r.getList(0)).toList());
  }

  @Test
  void aBatchWhoseColumnsDriftFromSilverFollowsThePolicy() {
    pipeline.set("pipeline.quality.schema-drift=evolve");
    pipeline.ingest("d1", pipeline.file("d1.csv", PipelineFixture.HEADER, "F1,2001-04-01 10:00:00,5,100,SFO,LAX"));
    pipeline.validate("d1");
    pipeline.ingest("d2", pipeline.file("d2.csv", PipelineFixture.HEADER + ",carrier",
        "F2,2001-04-01 10:00:00,5,100,SFO,LAX,UA"));

    pipeline.set("pipeline.quality.schema-drift=fail");
    MlcycleException error = assertThrows(MlcycleException.class, () -> pipeline.validate("d2"));
    assertEquals(ExitCode.DATA_QUALITY, error.exitCode());
    assertTrue(error.getMessage().contains("added [carrier]"), error.getMessage());
    assertEquals(0, DeltaTables.version(spark(), pipeline.storage().silver("flights")));

    pipeline.set("pipeline.quality.schema-drift=evolve");
    pipeline.validate("d2");
    assertEquals(List.of(row("F1", null), row("F2", "UA")),
        sql("SELECT flight_id, carrier FROM delta.`%s` ORDER BY flight_id", pipeline.storage().silver("flights")));
  }

  @Test
  void ruleConfigErrorsNameTheElementKeyPath() {
    assertRuleError("{ type = range, column = delay, min = 0, severity = fatal }",
        "pipeline.quality.rules[0].severity", "'fatal' is not a severity");
    assertRuleError("{ type = not-null, columns = [delya] }", "pipeline.quality.rules[0].columns", "'delya' is not declared");
    assertRuleError("{ type = between, column = delay }", "pipeline.quality.rules[0].type", "'between' is not a rule type");
    assertRuleError("{ type = min-row-count, min = 5, severity = drop }", "pipeline.quality.rules[0].severity",
        "drop applies to rows");
    assertRuleError("{ type = sql, expression = \"nosuch > 1\" }", "pipeline.quality.rules[0].expression",
        "not a Spark SQL expression");
    assertRuleError("{ type = range, column = delay, mn = 0 }", "pipeline.quality.rules[0].mn", "not a known key");
  }

  private void assertRuleError(String rule, String key, String why) {
    pipeline.body(PipelineFixture.SCHEMA + "quality.rules = [ " + rule + " ]\n");
    MlcycleException error = assertThrows(MlcycleException.class,
        () -> RuleSet.parse(pipeline.settings().config(), pipeline.spec()).resolve(spark()));
    assertEquals(ExitCode.USAGE, error.exitCode());
    assertTrue(error.getMessage().contains("'" + key + "'") && error.getMessage().contains(why), error.getMessage());
  }

  @Test
  void withoutABatchIdTheBronzeBatchesNotYetInSilverArePendingAndAnUnknownBatchIsAUsageError() {
    pipeline.ingest("n1", pipeline.file("n1.csv", PipelineFixture.HEADER, "F1,2001-04-01 10:00:00,5,100,SFO,LAX"));
    pipeline.ingest("n2", pipeline.file("n2.csv", PipelineFixture.HEADER, "F2,2001-04-02 10:00:00,5,100,SFO,LAX"));
    assertEquals(List.of("n1", "n2"), pipeline.validation(Map.of()).pendingBatches());
    pipeline.validate("n1");
    assertEquals(List.of("n2"), pipeline.validation(Map.of()).pendingBatches());

    MlcycleException unknown = assertThrows(MlcycleException.class, () -> pipeline.validate("nope"));
    assertEquals(ExitCode.USAGE, unknown.exitCode());
    assertTrue(unknown.getMessage().contains("has no such batch"), unknown.getMessage());
  }
}
