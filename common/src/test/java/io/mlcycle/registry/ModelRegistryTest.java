package io.mlcycle.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.testing.SparkTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Versions and aliases in Delta: numbering, idempotency, concurrency and the alias history. */
class ModelRegistryTest extends SparkTest {
  private ModelRegistry registry() {
    return new ModelRegistry(spark(), Storage.at(tempDir.toString()));
  }

  private static ModelRegistry.Registration run(String runId) {
    return new ModelRegistry.Registration("flights", runId, "models/flights/" + runId, "eval-" + runId, "go", "{}", "{}",
        "0".repeat(64));
  }

  @Test
  void registrationsAtOnceGetDistinctVersionsAndNoneIsLost() throws Exception {
    ModelRegistry registry = registry();
    int writers = 4;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Integer>> versions = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String runId = "run-" + w;
        Callable<Integer> register = () -> {
          start.await();
          return registry.register(run(runId), "tester", Instant.now());
        };
        versions.add(pool.submit(register));
      }
      List<Integer> got = new ArrayList<>();
      for (Future<Integer> version : versions) {
        got.add(version.get());
      }
      assertEquals(List.of(1, 2, 3, 4), got.stream().sorted().toList(), "distinct versions: " + got);
    } finally {
      pool.shutdownNow();
    }
    List<ModelRegistry.Version> stored = registry.versions("flights");
    assertEquals(4, stored.size());
    assertEquals(4, stored.stream().map(ModelRegistry.Version::runId).distinct().count(), "no registration lost");
  }

  @Test
  void aRetriedRegistrationReturnsTheSameVersionAndWritesNothing() {
    ModelRegistry registry = registry();
    assertEquals(1, registry.register(run("a"), "tester", Instant.now()));
    assertEquals(2, registry.register(run("b"), "tester", Instant.now()));
    long version = DeltaTables.version(spark(), registry.modelsPath());
    assertEquals(1, registry.register(run("a"), "tester", Instant.now()));
    assertEquals(version, DeltaTables.version(spark(), registry.modelsPath()), "a retry commits nothing");
  }

  @Test
  void aliasMovesRecordThePreviousHolderAndRollbackGoesBackToIt() {
    ModelRegistry registry = registry();
    registry.register(run("a"), "tester", Instant.now());
    registry.register(run("b"), "tester", Instant.now());
    MlcycleException none = assertThrows(MlcycleException.class, () -> registry.previousChampion("flights"));
    assertEquals(2, none.exitCode().code());

    registry.move("flights", List.of(new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, 1)), "first", "tester",
        "r1", Instant.now());
    registry.move("flights", List.of(new ModelRegistry.AliasChange(ModelRegistry.CHALLENGER, 2)), "passed", "tester",
        "r2", Instant.now());
    List<ModelRegistry.AliasMove> promoted = registry.move("flights", List.of(
        new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, 2),
        new ModelRegistry.AliasChange(ModelRegistry.CHALLENGER, null)), "promote", "tester", "r3", Instant.now());
    assertEquals(2, promoted.size());
    assertEquals(promoted.get(0).seq(), promoted.get(1).seq(), "both aliases moved in one commit");
    assertEquals(Map.of(ModelRegistry.CHAMPION, 2), registry.aliases("flights"));
    assertEquals(1, registry.previousChampion("flights"));

    List<ModelRegistry.AliasMove> again = registry.move("flights",
        List.of(new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, 2)), "no-op", "tester", "r4", Instant.now());
    assertTrue(again.isEmpty(), "moving an alias to its holder writes nothing");
    List<ModelRegistry.AliasMove> history = registry.history("flights");
    assertEquals(4, history.size());
    ModelRegistry.AliasMove last = history.get(history.size() - 1);
    assertEquals("promote", last.reason());
    assertEquals("tester", last.movedBy());
  }

  @Test
  void concurrentAliasMovesBothLandInOrder() throws Exception {
    ModelRegistry registry = registry();
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> champion = pool.submit(() -> {
        start.await();
        return registry.move("flights", List.of(new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, 1)), "c",
            "tester", "r1", Instant.now());
      });
      Future<?> challenger = pool.submit(() -> {
        start.await();
        return registry.move("flights", List.of(new ModelRegistry.AliasChange(ModelRegistry.CHALLENGER, 2)), "d",
            "tester", "r2", Instant.now());
      });
      champion.get();
      challenger.get();
    } finally {
      pool.shutdownNow();
    }
    assertEquals(Map.of(ModelRegistry.CHAMPION, 1, ModelRegistry.CHALLENGER, 2), registry.aliases("flights"));
    assertEquals(List.of(1L, 2L), registry.history("flights").stream().map(ModelRegistry.AliasMove::seq).sorted()
        .toList());
  }
}
