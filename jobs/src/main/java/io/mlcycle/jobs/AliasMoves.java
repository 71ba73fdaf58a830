package io.mlcycle.jobs;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.base.Errors;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.scoring.BatchScorer;
import io.mlcycle.scoring.ModelArms;
import io.mlcycle.scoring.ScoringSpec;
import io.mlcycle.scoring.SmokeTest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Making a version champion, as evaluate, promote and rollback do it: smoke test first, then one commit. */
final class AliasMoves {
  private AliasMoves() {}

  /**
   * Runs the smoke test of the version, then moves champion to it in one commit, clearing challenger when
   * the version held it. Returns the moves written.
   */
  static List<ModelRegistry.AliasMove> promote(JobContext context, ModelRegistry registry, String dataset, String name,
                                               int version, String reason) {
    ModelRegistry.Version target = registry.version(name, version).orElseThrow(() -> Errors.usage("Cannot promote "
        + name + " version " + version + ": there is no such version. The versions are "
        + registry.versions(name).stream().map(ModelRegistry.Version::version).toList() + " (see 'mlcycle models')."));
    String silverPath = context.storage().silver(dataset);
    long silverVersion = DeltaTables.version(context.spark(), silverPath);
    if (silverVersion == DeltaTables.NO_TABLE) {
      throw Errors.usage("Cannot promote " + name + " version " + version + ": the smoke test scores a sample of the"
          + " latest batch of " + silverPath + ", which does not exist. Run ingest and validate first.");
    }
    Dataset<Row> silver = context.spark().read().format("delta").option("versionAsOf", silverVersion).load(silverPath);
    BatchScorer scorer = new BatchScorer(context.spark(), context.pipeline().storedDefinitions());
    BatchScorer.Arm arm = ModelArms.load(context.spark(), context.storage(), dataset, target, BatchScorer.CHAMPION,
        context.pipeline().evaluation());
    ScoringSpec scoring = context.pipeline().scoring();
    SmokeTest.Outcome smoke = SmokeTest.run(scorer, arm, silver, scoring,
        context.pipeline().entityKey(),
        context.pipeline().features().eventTime(), "silver/" + dataset, context.runId(),
        Timestamp.from(context.clock().instant()));
    context.out().printf("Smoke test: version %d loaded from %s (checksums verified) and scored %d rows of batch %s%n",
        version, target.modelPath(), smoke.rows(), smoke.batchId());
    Map<String, Integer> holders = registry.aliases(name);
    List<ModelRegistry.AliasChange> changes = new ArrayList<>();
    changes.add(new ModelRegistry.AliasChange(ModelRegistry.CHAMPION, version));
    if (Integer.valueOf(version).equals(holders.get(ModelRegistry.CHALLENGER))) {
      changes.add(new ModelRegistry.AliasChange(ModelRegistry.CHALLENGER, null));
    }
    List<ModelRegistry.AliasMove> moves = registry.move(name, changes, reason, context.user(),
        context.runId(), context.clock().instant());
    context.out().printf("Champion -> version %d (was %s): %s%n", version,
        holders.containsKey(ModelRegistry.CHAMPION) ? "version " + holders.get(ModelRegistry.CHAMPION) : "none", reason);
    context.summary()
        .input("silver/" + dataset, silverVersion)
        .output("_mlcycle/" + ModelRegistry.ALIASES, DeltaTables.version(context.spark(), registry.aliasesPath()))
        .count("smoke_rows", smoke.rows())
        .count("champion_version", version);
    return moves;
  }
}
