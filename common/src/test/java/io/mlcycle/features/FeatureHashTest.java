package io.mlcycle.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mlcycle.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The definition hash follows what the features are computed from: expressions and reference data. */
class FeatureHashTest extends SparkTest {
  private String hash(String... sets) {
    return FeatureHash.of(spark(), FlightsFixture.spec(tempDir, sets));
  }

  @Test
  void movingTheReferenceFileKeepsTheHashChangingItsContentChangesIt() throws IOException {
    Path moved = Files.copy(FlightsFixture.airports(), tempDir.resolve("airports-moved.csv"));
    String original = hash();
    assertEquals(original, hash("pipeline.reference-tables.airports.path=" + moved));

    Files.writeString(moved, Files.readString(moved).replace("Atlanta,GA", "Atlanta,FL"));
    assertNotEquals(original, hash("pipeline.reference-tables.airports.path=" + moved));
  }

  @Test
  void aChangedExpressionOrLabelChangesTheHashButProfileBinsDoNot() {
    String original = hash();
    assertNotEquals(original, hash("pipeline.label.expr=delay > 30"));
    assertNotEquals(original, hash("pipeline.categories.min-share=0.01"));
    assertEquals(original, hash("pipeline.reference-profile.bins=20"));
  }
}
