package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** What a golden-schema failure tells the reader: the table, each changed column, and how to accept it. */
class GoldenSchemasTest extends SparkTest {
  private void table(Path root, String relative, String ddl) {
    spark().createDataFrame(List.of(), StructType.fromDDL(ddl)).write().format("delta")
        .save(root.resolve(relative).toString());
  }

  @Test
  void aChangedTableNamesEveryChangedColumnAndANewOrMissingTableIsNamed() {
    Path golden = tempDir.resolve("golden");
    Path before = tempDir.resolve("before");
    table(before, "_mlcycle/runs", "run_id string, job string, pipeline string, seconds double, tags array<string>");
    table(before, "silver/flights", "flight_id string");
    new GoldenSchemas(golden, true).assertTables(spark(), before, "flights");
    assertTrue(Files.exists(golden.resolve("silver__dataset.schema")));

    Path after = tempDir.resolve("after");
    table(after, "_mlcycle/runs", "run_id string, pipeline string, job string, seconds float, tags array<int>,"
        + " user string");
    table(after, "bronze/flights", "flight_id string");
    String message = assertThrows(AssertionError.class,
        () -> new GoldenSchemas(golden, false).assertTables(spark(), after, "flights")).getMessage();
    for (String expected : List.of("table bronze/<dataset> has no golden file bronze__dataset.schema",
        "golden file silver__dataset.schema names table silver/<dataset>, which the run did not create",
        "table _mlcycle/runs: column user was added (string nullable)",
        "table _mlcycle/runs: column seconds changed type from double to float",
        "table _mlcycle/runs: column tags[] changed type from string to int",
        "table _mlcycle/runs: columns were reordered from [run_id, job, pipeline, seconds, tags] to"
            + " [run_id, pipeline, job, seconds, tags]",
        "-Dgolden.update=true")) {
      assertTrue(message.contains(expected), expected + " in:\n" + message);
    }
  }

  @Test
  void aModelFileOrManifestKeyThatAppearsOrGoesIsNamed() throws Exception {
    Path golden = tempDir.resolve("golden");
    Path model = Files.createDirectories(tempDir.resolve("model/sparkml/metadata"));
    Files.writeString(model.resolve("part-00000-0f1e2d3c-c000.txt"), "{}");
    Files.writeString(tempDir.resolve("model/manifest.json"), "{\"format\": \"mlcycle-model/1\", \"files\": {}}");
    new GoldenSchemas(golden, true).assertModel(tempDir.resolve("model"));

    Files.writeString(model.resolve("part-00001-9a8b7c6d-c000.txt"), "{}");
    Files.writeString(tempDir.resolve("model/MLmodel"), "");
    Files.writeString(tempDir.resolve("model/manifest.json"), "{\"format\": \"mlcycle-model/1\"}");
    String message = assertThrows(AssertionError.class,
        () -> new GoldenSchemas(golden, false).assertModel(tempDir.resolve("model"))).getMessage();
    assertTrue(message.contains("model artifact models/<name>/<version>: MLmodel is new"), message);
    assertTrue(message.contains("model artifact models/<name>/<version>/manifest.json: files is gone"), message);
    assertFalse(message.contains("part-"), "part files are one entry however many there are: " + message);
  }
}
