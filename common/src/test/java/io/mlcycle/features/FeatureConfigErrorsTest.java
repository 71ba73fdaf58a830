package io.mlcycle.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.spark.SparkJobCounter;
import io.mlcycle.testing.SparkTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad feature config exits 2 before any data is read, naming the feature, the key path and the column.
 * Expressions are checked by Spark's parser and analyser against silver's schema: no Spark job runs.
 */
class FeatureConfigErrorsTest extends SparkTest {

  private static MlcycleException usageError(Executable executable) {
    MlcycleException e = assertThrows(MlcycleException.class, executable);
    assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
    return e;
  }

  private static void assertMentions(MlcycleException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  /** Checks the spec against silver's schema, asserting that it ran no Spark job. */
  private void check(String... sets) {
    FeatureSpec spec = FlightsFixture.spec(tempDir, sets);
    try (SparkJobCounter jobs = SparkJobCounter.start(spark())) {
      try {
        FeaturePipeline.create(spark(), spec, FlightsFixture.SILVER, "silver/flights",
            CategoryFolding.none("other"));
      } finally {
        assertEquals(0, jobs.jobs(), "checking the definitions must not run a Spark job");
      }
    }
  }

  private static String features(String... features) {
    return "pipeline.features=[" + String.join(", ", features) + "]";
  }

  @Test
  void theShippedFlightsConfigPasses() {
    check();
  }

  /**
   * monitor = false is a monitoring setting, not part of the feature: the spec keeps it, the stored
   * definition (what the feature version's hash covers) does not, so flipping it makes no new version.
   * A value that is not a boolean exits 2 naming the key.
   */
  @Test
  void monitorFalseIsKeptOutOfTheDefinition() {
    String hour = "{name = hour, expr = \"hour(date)\"}";
    FeatureSpec unmonitored = FlightsFixture.spec(tempDir,
        features(hour, "{name = month, expr = \"month(date)\", monitor = false}"));
    FeatureSpec monitored = FlightsFixture.spec(tempDir, features(hour, "{name = month, expr = \"month(date)\"}"));
    assertEquals(List.of(true, false), unmonitored.features().stream().map(FeatureDefinition::monitored).toList());
    assertEquals(monitored.definition(), unmonitored.definition());
    assertTrue(FlightsFixture.spec(tempDir).features().stream()
        .anyMatch(f -> f.name().equals("month") && !f.monitored()), "the shipped flights month is not monitored");
    MlcycleException e = usageError(() -> FlightsFixture.spec(tempDir,
        features(hour, "{name = month, expr = \"month(date)\", monitor = maybe}")));
    assertMentions(e, "pipeline.features[1].monitor");
  }

  @Test
  void aFeatureNamedLikeTheKeyButForCaseExits2BeforeSpark() {
    MlcycleException e = usageError(() -> FlightsFixture.spec(tempDir,
        features("{name = hour, expr = \"hour(date)\"}", "{name = Flight_ID, expr = \"1\"}")));
    assertMentions(e, "pipeline.features[1].name", "Flight_ID", "ignoring case");
  }

  @Test
  void anExpressionThatDoesNotParseNamesTheFeatureAndKey() {
    MlcycleException e = usageError(() -> check(features(
        "{name = hour, expr = \"hour(date)\"}", "{name = broken, expr = \"log1p(distance\"}")));
    assertMentions(e, "feature 'broken'", "pipeline.features[1].expr", "log1p(distance", "does not parse");
  }

  @Test
  void anExpressionNamingAMissingColumnNamesTheFeatureAndColumn() {
    MlcycleException e = usageError(() -> check(features("{name = far, expr = \"log1p(distanse)\"}")));
    assertMentions(e, "feature 'far'", "pipeline.features[0].expr", "distanse", "silver/flights", "distance");
  }

  @Test
  void aWindowOverAMissingColumnNamesTheFeature() {
    MlcycleException e = usageError(() -> check(features(
        "{name = w, expr = \"1\", window {partition-by = [carrier], lookback = 7d, function = count}}")));
    assertMentions(e, "feature 'w'", "pipeline.features[0].window.partition-by", "carrier");
  }

  @Test
  void aLabelOverAMissingColumnExits2() {
    MlcycleException e = usageError(() -> check("pipeline.label.expr=arrival_delay > 15"));
    assertMentions(e, "the label", "pipeline.label.expr", "arrival_delay");
  }

  @Test
  void aMissingOrNonPositiveLookbackExits2() {
    for (String window : List.of("{partition-by = [origin], function = count}",
        "{partition-by = [origin], lookback = 0d, function = count}",
        "{partition-by = [origin], lookback = -7d, function = count}",
        "{partition-by = [origin], lookback = 7, function = count}")) {
      MlcycleException e = usageError(() -> FlightsFixture.spec(tempDir,
          features("{name = n, expr = \"1\", window " + window + "}")));
      assertMentions(e, "pipeline.features[0].window", "lookback");
    }
  }

  @Test
  void aMissingLookupTableExits2NamingIt() {
    MlcycleException e = usageError(() -> check(
        "pipeline.reference-tables.airports.path=" + tempDir.resolve("nowhere/airports.csv")));
    assertMentions(e, "reference table 'airports'", "nowhere/airports.csv", "pipeline.reference-tables.airports.path");
  }

  @Test
  void aLookupOfAMissingTableColumnExits2() {
    MlcycleException e = usageError(() -> check(
        "pipeline.reference-tables.airports.columns={state = string, elevation = double}"));
    assertMentions(e, "reference table 'airports'", "elevation");
  }

  @Test
  void aFeatureReadingTheLabelColumnDirectlyIsALeak() {
    MlcycleException e = usageError(() -> check(features("{name = late, expr = \"delay > 0\"}")));
    assertMentions(e, "pipeline.features[0].expr", "feature 'late'", "delay", "leak");
  }

  @Test
  void aTypoInAFeatureKeySuggestsTheKey() {
    MlcycleException e = usageError(() -> FlightsFixture.spec(tempDir,
        features("{name = h, expr = \"hour(date)\", categorcal = true}")));
    assertMentions(e, "pipeline.features[0].categorcal", "Did you mean 'pipeline.features[0].categorical'?");
  }

  @Test
  void anUnknownAggregateAndAMissingExprExit2() {
    assertMentions(usageError(() -> FlightsFixture.spec(tempDir, features(
        "{name = n, expr = \"1\", window {partition-by = [origin], lookback = 7d, function = median}}"))),
        "pipeline.features[0].window.function", "median");
    assertMentions(usageError(() -> FlightsFixture.spec(tempDir, features("{name = n}"))),
        "pipeline.features[0]", "'expr' is missing");
  }

  @Test
  void aStringFeatureMustBeDeclaredCategorical() {
    MlcycleException e = usageError(() -> check(features("{name = o, expr = \"origin\"}")));
    assertMentions(e, "feature 'o'", "categorical = true");
  }
}
