package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlcycle.features.FlightsFixture;
import io.mlcycle.io.Storage;
import io.mlcycle.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code mlcycle features} as an orchestrator runs it: exit codes, the summary line, reruns. */
class FeaturesJobTest extends SparkTest {
  private JobRun last;

  private int features(String... sets) {
    List<String> args = new ArrayList<>(List.of("features", "--describe",
        "--pipeline", FlightsFixture.pipelineFile().toString(),
        "--set", "mlcycle.spark.master=local[2]",
        "--set", "mlcycle.storage.root=" + tempDir,
        "--set", "pipeline.reference-tables.airports.path=" + FlightsFixture.airports()));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    last = JobRun.of(args.toArray(String[]::new));
    return last.code();
  }

  private JsonNode summary() throws Exception {
    return last.summary();
  }

  @Test
  void buildsTheTableThenARerunHasNothingToDo() throws Exception {
    String silver = Storage.at(tempDir.toString()).silver("flights");
    FlightsFixture.appendSilver(spark(), silver, FlightsFixture.flights(3, 120, 10));

    assertEquals(0, features(), last.err());
    JsonNode first = summary();
    assertEquals("succeeded", first.get("status").asText());
    assertEquals(0, first.get("inputs").get("silver/flights").asLong());
    assertEquals(0, first.get("outputs").get("features/flights").asLong());
    assertEquals(1, first.get("counts").get("feature_version").asInt());
    assertEquals(120, first.get("counts").get("rows").asLong());
    assertTrue(first.get("counts").get("spark_jobs").asInt() > 0);
    assertTrue(first.get("outputs").has("_mlcycle/feature_versions"));
    String printed = last.out();
    assertTrue(printed.contains("120 rows"), printed);
    assertTrue(printed.contains("origin_delayed_share_7d"), printed);

    assertEquals(0, features());
    JsonNode second = summary();
    assertEquals("nothing_to_do", second.get("status").asText());
    assertEquals(0, second.get("outputs").get("features/flights").asLong(), "a rerun commits nothing");
  }

  @Test
  void aBadExpressionExits2NamingTheFeatureBeforeReadingSilver() throws Exception {
    String silver = Storage.at(tempDir.toString()).silver("flights");
    FlightsFixture.appendSilver(spark(), silver, FlightsFixture.flights(3, 10, 2));
    assertEquals(2, features("pipeline.features=[{name = speed, expr = \"distance / duration\"}]"));
    String message = last.err();
    assertTrue(message.contains("feature 'speed'") && message.contains("duration")
        && message.contains("pipeline.features[0].expr"), message);
    assertEquals("usage_error", summary().get("status").asText());
  }

  @Test
  void aMissingSilverTableExits2() throws Exception {
    assertEquals(2, features());
    assertTrue(last.err().contains("Run ingest and validate first"));
  }
}
