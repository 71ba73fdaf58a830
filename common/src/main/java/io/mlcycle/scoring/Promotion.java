package io.mlcycle.scoring;

import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelRegistry;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Making a version champion, as evaluate, retrain, promote and rollback do it: the version's smoke test
 * first (a failure blocks it, exit 4), then champion moved to it in one commit, clearing challenger when
 * the version held it. Moves are recorded with the runtime's user, run id and clock.
 */
public final class Promotion {
  private final StageRuntime runtime;
  private final ScoringSetup setup;
  private final ModelRegistry registry;

  public Promotion(StageRuntime runtime, ScoringSetup setup) {
    this.runtime = runtime;
    this.setup = setup;
    this.registry = new ModelRegistry(runtime.spark(), runtime.storage());
  }

  /** What the smoke test of a version scored, on which silver version. */
  public record Smoke(ModelRegistry.Version version, long silverVersion, SmokeTest.Outcome outcome) {}

  /**
   * One promotion.
   *
   * @param previousChampion the champion before, empty when there was none
   * @param moves the alias moves written, in one commit
   * @param aliasesVersion the alias table's version after the move
   */
  public record Result(Smoke smoke, Optional<Integer> previousChampion, String reason,
                       List<ModelRegistry.AliasMove> moves, long aliasesVersion) {
    public int version() {
      return smoke.version().version();
    }
  }

  /** Makes the version champion; empty, and nothing tested or moved, when it already is. */
  public Optional<Result> promote(int version, String reason) {
    if (Integer.valueOf(version).equals(registry.aliases(setup.model()).get(ModelRegistry.CHAMPION))) {
      return Optional.empty();
    }
    return Optional.of(move(version, reason));
  }

  /**
   * Where a version that passed its gates goes: a version that already holds an alias keeps it; with no
   * champion yet it becomes champion (after its smoke test); otherwise it becomes challenger.
   *
   * @param aliases the aliases before, by name
   * @param champion the promotion, when the version became the first champion
   * @param aliasesVersion the alias table's version after, when it became challenger
   */
  public record Placement(Map<String, Integer> aliases, Optional<Result> champion, Optional<Long> aliasesVersion) {
    public boolean kept() {
      return champion.isEmpty() && aliasesVersion.isEmpty();
    }
  }

  /** Places a version that passed its gates in evaluation run {@code evaluationRunId}. */
  public Placement placePassing(int version, String evaluationRunId) {
    Map<String, Integer> holders = registry.aliases(setup.model());
    if (holders.containsValue(version)) {
      return new Placement(holders, Optional.empty(), Optional.empty());
    }
    if (!holders.containsKey(ModelRegistry.CHAMPION)) {
      return new Placement(holders, Optional.of(move(version,
          "first champion: passed the gates (evaluation " + evaluationRunId + ")")), Optional.empty());
    }
    registry.move(setup.model(), List.of(new ModelRegistry.AliasChange(ModelRegistry.CHALLENGER, version)),
        "passed the gates against champion version " + holders.get(ModelRegistry.CHAMPION) + " (evaluation "
            + evaluationRunId + ")", runtime.user(), runtime.runId(), runtime.clock().instant());
    return new Placement(holders, Optional.empty(),
        Optional.of(DeltaTables.version(runtime.spark(), registry.aliasesPath())));
  }

  /** Makes the previous champion champion again; exit 2 when there is none. */
  public Result rollback(String reason) {
    int current = registry.aliases(setup.model()).getOrDefault(ModelRegistry.CHAMPION, -1);
    int previous = registry.previousChampion(setup.model());
    return move(previous, "rollback from version " + current + ": " + reason);
  }

  /**
   * The smoke test a promotion runs first, alone: the version, loaded as the scorer loads it, scores a
   * sample of the latest batch of silver (pinned version). Moves nothing.
   */
  public Smoke smokeTest(int version) {
    ModelRegistry.Version target = registry.required(setup.model(), version,
        "promote " + setup.model() + " version " + version);
    String silverPath = runtime.storage().silver(setup.dataset());
    long silverVersion = DeltaTables.version(runtime.spark(), silverPath);
    if (silverVersion == DeltaTables.NO_TABLE) {
      throw Errors.usage("Cannot promote " + setup.model() + " version " + version + ": the smoke test scores a"
          + " sample of the latest batch of " + silverPath + ", which does not exist. Run ingest and validate first.");
    }
    Dataset<Row> silver = runtime.spark().read().format("delta").option("versionAsOf", silverVersion)
        .load(silverPath);
    BatchScorer.Arm arm = ModelArms.load(runtime.spark(), runtime.storage(), setup.dataset(), target,
        BatchScorer.CHAMPION, setup.evaluation());
    SmokeTest.Outcome outcome = SmokeTest.run(new BatchScorer(runtime.spark(), setup.definitions()), arm, silver,
        setup.scoring(), setup.entityKey(), setup.eventTime(), "silver/" + setup.dataset(), runtime.runId(),
        Timestamp.from(runtime.clock().instant()));
    return new Smoke(target, silverVersion, outcome);
  }

  private Result move(int version, String reason) {
    Smoke smoke = smokeTest(version);
    Map<String, Integer> holders = registry.aliases(setup.model());
    List<ModelRegistry.AliasChange> changes = new ArrayList<>();
    changes.add(new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, version));
    if (Integer.valueOf(version).equals(holders.get(ModelRegistry.CHALLENGER))) {
      changes.add(new ModelRegistry.AliasChange(ModelRegistry.CHALLENGER, null));
    }
    List<ModelRegistry.AliasMove> moves = registry.move(setup.model(), changes, reason, runtime.user(),
        runtime.runId(), runtime.clock().instant());
    return new Result(smoke, Optional.ofNullable(holders.get(ModelRegistry.CHAMPION)), reason, moves,
        DeltaTables.version(runtime.spark(), registry.aliasesPath()));
  }
}
