package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The train job end to end on a Delta feature table: model artifact, tracking, reruns and refusals. */
class TrainJobTest extends SparkTest {
  private Path root;

  /** A flights-like feature table: a key, two numeric inputs, a category, and a label from a known model. */
  @BeforeEach
  void featureTable() {
    root = tempDir.resolve("root");
    writeFeatures(spark().range(0, 4000).selectExpr(
        "concat('F', cast(id as string)) as flight_id",
        "cast(pmod(hash(id, 1), 24) as double) as hour",
        "(pmod(hash(id, 2), 1000) / 100.0) as log_distance",
        "concat('A', cast(pmod(hash(id, 3), 12) as string)) as origin",
        "pmod(hash(id, 4), 1000) / 1000.0 as u")
        .selectExpr("*", "cast(u < 1 / (1 + exp(-(0.15 * hour - 2 + case origin when 'A1' then 1.5 else 0 end)))"
            + " as int) as label")
        .drop("u"));
  }

  private void writeFeatures(Dataset<Row> rows) {
    rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true")
        .save(Storage.at(root.toString()).features("flights"));
  }

  private JobRun train(String... more) {
    List<String> args = new ArrayList<>(List.of("train",
        "--set", "mlcycle.pipeline=",
        "--set", "mlcycle.storage.root=" + root,
        "--set", "mlcycle.spark.master=local[2]",
        "--set", "pipeline.name=flights",
        "--set", "pipeline.schema=[{ name = flight_id, type = string }, { name = date, type = timestamp }]",
        "--set", "pipeline.event-time=date",
        "--set", "pipeline.features=[{ name = hour, expr = \"hour(date)\" }]",
        "--set", "pipeline.entity-key=[flight_id]",
        "--set", "pipeline.model.numeric=[hour, log_distance]",
        "--set", "pipeline.model.categorical=[origin]",
        "--set", "pipeline.model.grid.reg-param=[0.1, 0.01, 0.001]",
        "--set", "pipeline.model.min-train-rows=100"));
    args.addAll(List.of(more));
    return JobRun.of(args.toArray(String[]::new));
  }

  private long count(String table, String runId) {
    String path = Storage.at(root.toString()).system(table);
    return spark().read().format("delta").load(path).filter("run_id = '" + runId + "'").count();
  }

  @Test
  void trainsTracksAndWritesAVerifiableModel() throws IOException {
    JobRun run = train("--run-id", "r1");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("chosen"), run.out());
    JsonNode summary = run.summary();
    assertEquals(0, summary.get("inputs").get("features/flights").asInt());
    assertTrue(summary.get("counts").get("cv_areaUnderROC").asDouble() > 0.6, summary.toString());
    assertTrue(summary.get("counts").get("spark_jobs").asInt() > 0);

    String modelPath = Storage.at(root.toString()).model("flights", "r1");
    PipelineModel model = ModelArtifact.load(spark(), modelPath);
    Dataset<Row> scored = model.transform(spark().createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create(10.0, 2.0, "A1"),
        org.apache.spark.sql.RowFactory.create(10.0, 2.0, "never-seen")),
        new org.apache.spark.sql.types.StructType().add("hour", "double").add("log_distance", "double")
            .add("origin", "string")));
    assertEquals(2, scored.select("probability").count(), "unseen categories are scored");
    assertTrue(Files.exists(root.resolve("models/flights/r1/MLmodel")));

    assertEquals(3 * 3 + 3 * 2 + 5, count("metrics", "r1") - 3, "folds x grid, mean and std per grid point, holdout");
    assertTrue(count("params", "r1") >= 8);
    assertTrue(count("lineage", "r1") >= 10);
    assertEquals(1, count("runs", "r1"));

    long metricsVersion = DeltaTables.version(spark(), Storage.at(root.toString()).system("metrics"));
    JobRun again = train("--run-id", "r1");
    assertEquals(0, again.code(), again.err());
    assertEquals("nothing_to_do", again.summary().get("status").asText());
    assertEquals(metricsVersion, DeltaTables.version(spark(), Storage.at(root.toString()).system("metrics")),
        "a rerun of the same run writes nothing");
  }

  @Test
  void aTamperedModelIsRefusedNamingTheFile() throws IOException {
    assertEquals(0, train("--run-id", "t1").code());
    Path modelDir = root.resolve("models/flights/t1/sparkml");
    Path parquet;
    try (Stream<Path> files = Files.walk(modelDir)) {
      parquet = files.filter(p -> p.toString().endsWith(".parquet") && p.toString().contains("stages"))
          .findFirst().orElseThrow();
    }
    Files.write(parquet, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    Files.deleteIfExists(parquet.resolveSibling("." + parquet.getFileName() + ".crc"));
    MlcycleException e = assertThrows(MlcycleException.class,
        () -> ModelArtifact.load(spark(), Storage.at(root.toString()).model("flights", "t1")));
    assertTrue(e.getMessage().contains(parquet.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("changed"), e.getMessage());
  }

  @Test
  void refusesTooFewRowsOneClassAConstantInputAndALeak() {
    JobRun few = train("--set", "pipeline.model.min-train-rows=100000");
    assertEquals(3, few.code());
    assertTrue(few.err().contains("min-train-rows"), few.err());

    writeFeatures(spark().range(0, 2000).selectExpr("concat('F', cast(id as string)) as flight_id",
        "cast(id % 24 as double) as hour", "cast(id % 7 as double) as log_distance", "'A1' as origin", "id % 2 as label"));
    JobRun constant = train();
    assertEquals(3, constant.code());
    assertTrue(constant.err().contains("'origin'"), constant.err());

    writeFeatures(spark().range(0, 2000).selectExpr("concat('F', cast(id as string)) as flight_id",
        "cast(id % 24 as double) as hour", "cast(id % 7 as double) as log_distance",
        "concat('A', cast(id % 5 as string)) as origin", "1 as label"));
    JobRun oneClass = train();
    assertEquals(3, oneClass.code());
    assertTrue(oneClass.err().contains("single class"), oneClass.err());

    writeFeatures(spark().range(0, 2000).selectExpr("concat('F', cast(id as string)) as flight_id",
        "cast(id % 24 as double) as hour", "cast(id % 2 as double) * 10 as log_distance",
        "concat('A', cast(id % 5 as string)) as origin", "id % 2 as label"));
    JobRun leak = train();
    assertEquals(3, leak.code());
    assertTrue(leak.err().contains("'log_distance'") && leak.err().contains("leak"), leak.err());
  }

  @Test
  void aMissingColumnIsAUsageError() {
    JobRun run = train("--set", "pipeline.model.numeric=[hour, no_such_column]");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("'no_such_column'"), run.err());
  }

  @Test
  void twoConcurrentTrainingsBothRecordFully() {
    CompletableFuture<JobRun> first = CompletableFuture.supplyAsync(() -> train("--run-id", "c1"));
    CompletableFuture<JobRun> second = CompletableFuture.supplyAsync(() -> train("--run-id", "c2"));
    assertEquals(0, first.join().code(), first.join().err());
    assertEquals(0, second.join().code(), second.join().err());
    for (String run : List.of("c1", "c2")) {
      assertEquals(count("metrics", "c1"), count("metrics", run));
      assertEquals(count("params", "c1"), count("params", run));
      assertEquals(1, count("runs", run));
    }
  }
}
