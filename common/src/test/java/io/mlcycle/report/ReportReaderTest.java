package io.mlcycle.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.io.Storage;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.testing.SparkTest;
import io.mlcycle.tracking.TrackingTables;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which training run a report is about when none is named: the champion's, else the latest. */
class ReportReaderTest extends SparkTest {
  private static final String FIRST = "20260101T000000Z-first";
  private static final String LATEST = "20260201T000000Z-challenger";

  @Test
  void aReportDefaultsToTheChampionsRunElseTheLatest() {
    Storage storage = Storage.at(tempDir.toString());
    TrackingTables tracking = new TrackingTables(spark(), storage);
    for (String run : List.of(FIRST, LATEST)) {
      tracking.recordParams(run, "iris", Map.of("task", "multiclass"));
    }
    ReportReader reader = new ReportReader(spark(), storage);
    assertEquals(LATEST, reader.trainingRun("iris", Optional.empty()), "no champion yet: the latest run");

    ModelRegistry registry = new ModelRegistry(spark(), storage);
    registry.register(new ModelRegistry.Registration("iris", FIRST, "models/iris/" + FIRST, "eval-1", "go", "{}", "{}",
        "0".repeat(64)), "tester", Instant.now());
    registry.move("iris", List.of(new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, 1)), "first", "tester",
        "promote-1", Instant.now());
    assertEquals(FIRST, reader.trainingRun("iris", Optional.empty()),
        "the champion's run, although a later challenger was trained");
    assertEquals(LATEST, reader.trainingRun("iris", Optional.of(LATEST)), "a named run wins");
  }
}
