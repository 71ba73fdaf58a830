package io.mlcycle.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.config.Settings;
import io.mlcycle.evaluation.DecisionThreshold;
import io.mlcycle.io.Storage;
import io.mlcycle.pipeline.PipelineSettings;
import io.mlcycle.registry.ModelArchive;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.reproduction.ReproduceAction;
import io.mlcycle.reproduction.Reproduction;
import io.mlcycle.testing.SparkTest;
import io.mlcycle.testing.TestSpark;
import io.mlcycle.training.TrainAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Retention against reproduction: two registered models on two versions of the feature table (the second
 * a rewrite, which leaves the first version's files to a vacuum), reproduced, vacuumed, archived.
 */
class RetentionTest extends SparkTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private final Settings settings = TestSpark.settings(
      "pipeline.name=flights",
      "pipeline.entity-key=[flight_id]",
      "pipeline.model.numeric=[hour, log_distance]",
      "pipeline.model.categorical=[origin]",
      "pipeline.model.grid.reg-param=[0.1]",
      "pipeline.model.min-train-rows=100");
  private final PipelineSettings pipeline = PipelineSettings.of(settings).orElseThrow();
  private Storage storage;

  private StageRuntime runtime(String runId) {
    return new StageRuntime(spark(), storage, CLOCK, "tester", runId);
  }

  /** {@code rows} flights-like feature rows whose label follows a known model, as the whole feature table. */
  private void featureTable(int rows) {
    spark().range(rows).selectExpr(
        "concat('F', cast(id as string)) as flight_id",
        "cast(pmod(hash(id, 1), 24) as double) as hour",
        "(pmod(hash(id, 2), 1000) / 100.0) as log_distance",
        "concat('A', cast(pmod(hash(id, 3), 12) as string)) as origin",
        "pmod(hash(id, 4), 1000) / 1000.0 as u")
        .selectExpr("*", "cast(u < 1 / (1 + exp(-(0.15 * hour - 2))) as int) as label").drop("u")
        .write().format("delta").mode("overwrite").save(storage.features("flights"));
  }

  /** Trains run {@code runId} on the latest feature table and registers it; returns its version. */
  private int trainAndRegister(String runId) {
    new TrainAction(runtime(runId), pipeline.training(), "flights", pipeline.recordedConfig(),
        DecisionThreshold.trainingObjective(pipeline.evaluation())).execute(Optional.empty());
    return new ModelRegistry(spark(), storage).register(new ModelRegistry.Registration("flights", runId,
        Storage.modelLocation("flights", runId), "eval-" + runId, "go", "{}", "{}",
        ModelArtifact.manifestSha256(spark(), storage.model("flights", runId))), "tester", Instant.now());
  }

  private Reproduction reproduce(int version) {
    return new ReproduceAction(runtime("reproduce-" + version), settings).version("flights", version);
  }

  @Test
  void vacuumKeepsWhatRegisteredVersionsNeedAndArchivingReleasesIt() throws Exception {
    storage = Storage.at(tempDir.resolve("root").toString());
    featureTable(2000);
    assertEquals(1, trainAndRegister("r1"));
    featureTable(2400);
    assertEquals(2, trainAndRegister("r2"));
    ModelRegistry registry = new ModelRegistry(spark(), storage);
    registry.move("flights", List.of(new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, 2)), "test", "tester",
        "p-1", Instant.now());
    Reproduction first = reproduce(1);
    assertEquals(Reproduction.Verdict.IDENTICAL, first.verdict(), first.toString());

    VacuumAction vacuum = new VacuumAction(runtime("vacuum-1"));
    MlcycleException refused = assertThrows(MlcycleException.class, () -> vacuum.execute(0, false));
    assertEquals(ExitCode.USAGE, refused.exitCode());
    assertTrue(refused.getMessage().contains("flights:1 (run r1) needs version 0 of features/flights")
        && refused.getMessage().contains("--archive"), refused.getMessage());
    MlcycleException champion = assertThrows(MlcycleException.class, () -> new ModelArchive(spark(), storage)
        .archive("flights", 2, "test", "tester", "a-1", Instant.now()));
    assertTrue(champion.getMessage().contains("it is the champion"), champion.getMessage());

    new ModelArchive(spark(), storage).archive("flights", 1, "superseded", "tester", "a-2", Instant.now());
    VacuumAction.Outcome dryRun = new VacuumAction(runtime("vacuum-2")).execute(0, true);
    List<String> gone = dryRun.tables().stream().filter(t -> t.table().equals("features/flights"))
        .flatMap(t -> t.files().stream()).toList();
    assertTrue(!gone.isEmpty() && gone.stream().allMatch(f -> Files.exists(Path.of(java.net.URI.create(f)))),
        "a dry run lists the first version's files and leaves them: " + gone);
    assertEquals(List.of(storage.model("flights", "r1")), dryRun.modelFolders());

    VacuumAction.Outcome done = new VacuumAction(runtime("vacuum-3")).execute(0, false);
    assertEquals(dryRun.files(), done.files());
    assertTrue(gone.stream().noneMatch(f -> Files.exists(Path.of(java.net.URI.create(f)))), "removed");
    assertTrue(!ModelArtifact.exists(spark(), storage.model("flights", "r1")), "the archived model's folder is gone");

    assertEquals(Reproduction.Verdict.IDENTICAL, reproduce(2).verdict(), "the kept version still reproduces");
    MlcycleException vacuumed = assertThrows(MlcycleException.class, () -> reproduce(1));
    assertEquals(ExitCode.USAGE, vacuumed.exitCode());
    assertTrue(vacuumed.getMessage().contains("version 0 of " + storage.features("flights")
        + " is no longer readable"), vacuumed.getMessage());
    assertEquals(Map.of(ModelRegistry.CHAMPION, 2), registry.aliases("flights"));
  }
}
