package io.mlcycle.jobs;

import io.mlcycle.lineage.ModelLineage;
import io.mlcycle.registry.ModelRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the lineage job prints of a model version's chain: one numbered line per link, with table versions. */
final class LineageOutput {
  private LineageOutput() {}

  static void print(PrintStream out, String dataset, ModelLineage lineage) {
    ModelRegistry.Version version = lineage.version();
    out.printf("Lineage of %s version %d (%s)%n", version.name(), version.version(), lineage.modelsPath());
    out.println("1. raw batches → bronze → quality → silver (the batches in the feature table it trained on)");
    lineage.batches().ifPresentOrElse(batches -> batches.forEach(b -> printBatch(out, b)),
        () -> out.println("     (the feature table version is not recorded)"));
    ModelLineage.FeatureLink features = lineage.features();
    out.printf("2. feature version %s (definition hash %s) from silver/%s version %s → features/%s version %s%n",
        features.featureVersion(), abbreviate(features.definitionHash()), dataset, features.silverVersion(), dataset,
        features.featuresTableVersion());
    ModelLineage.TrainingLink training = lineage.training();
    out.printf("3. training run %s (%s, chosen by %s): config hash %s, fold assignment %s, split %s; mlcycle %s, "
        + "Spark %s, Delta %s%n", training.runId(), training.task().id(), training.metric().id(),
        abbreviate(training.configHash()), training.foldAssignment(), training.split(),
        training.runtimeVersions().get("mlcycle"), training.runtimeVersions().get("spark"),
        training.runtimeVersions().get("delta"));
    out.printf("4. evaluation %s: %s%s%n", version.evaluationRunId(), version.decision(), gates(lineage));
    out.printf("5. model version %d at %s, registered %s by %s; aliases now %s%n", version.version(),
        version.modelPath(), version.registeredAt(), version.registeredBy(), lineage.aliases());
    lineage.aliasMoves().forEach(m -> out.printf("     alias move #%d %s: %s %s → %s (%s)%n", m.seq(), m.movedAt(),
        m.alias(), m.previousVersion(), m.version(), m.reason()));
    out.println("6. predictions, drift and realised performance, per batch");
    lineage.predictions().ifPresentOrElse(p -> printPredictions(out, dataset, version.version(), p),
        () -> out.println("     (no predictions yet)"));
    lineage.decisions().forEach(d -> out.printf("7. made by the retrain decision of %s (%s, trigger %s): %s%n",
        d.decidedAt(), d.decision(), d.trigger(), d.reason()));
  }

  private static void printBatch(PrintStream out, ModelLineage.BatchLink batch) {
    Optional<ModelLineage.Quality> q = batch.quality();
    out.printf("     %s: %s → bronze v%s → quality (%s outcomes, %s rows failing rules) → silver v%s%n",
        batch.batchId(), batch.files(), q.map(v -> orNull(v.bronzeVersion())).orElse("?"),
        q.map(v -> String.valueOf(v.outcomes())).orElse("?"), q.map(v -> String.valueOf(v.failingRows())).orElse("?"),
        q.map(v -> orNull(v.silverVersion())).orElse("?"));
  }

  /** As the quality table's aggregate prints a missing stage: {@code null}. */
  private static String orNull(Optional<Long> version) {
    return version.map(String::valueOf).orElse("null");
  }

  private static String gates(ModelLineage lineage) {
    return lineage.gates().isEmpty() ? "" : " (" + lineage.gates().stream().map(g -> "against "
        + g.championVersion().map(v -> "champion v" + v).orElse("no champion") + ": " + g.passed() + " of "
        + g.gates() + " gates passed, " + g.decision()).collect(Collectors.joining("; ")) + "; _mlcycle/gates)";
  }

  private static void printPredictions(PrintStream out, String dataset, int number,
                                       ModelLineage.Predictions predictions) {
    if (predictions.batches().isEmpty()) {
      out.println("     (version " + number + " scored no batch yet)");
    }
    for (ModelLineage.ScoredBatch b : predictions.batches()) {
      out.printf("     %s: %d predictions as %s (predictions/%s, now at v%d); drift: %s; %s%n", b.batchId(),
          b.predictions(), b.role(), dataset, predictions.tableVersion(),
          b.drift().map(d -> String.format("%d of %d features drifted", d.drifted(), d.features()))
              .orElse("not measured"),
          b.realised().isEmpty() ? "no labels measured" : realised(b.realised()));
    }
  }

  /** Per role in order: "realised as champion on 150 labels: macroF1 0.800, logLoss 0.412". */
  private static String realised(List<ModelLineage.RealisedMetric> metrics) {
    Map<String, List<ModelLineage.RealisedMetric>> byRole = new LinkedHashMap<>();
    metrics.forEach(m -> byRole.computeIfAbsent(m.role(), r -> new ArrayList<>()).add(m));
    return byRole.values().stream().map(role -> String.format("realised as %s on %d labels: %s", role.get(0).role(),
        role.get(0).labelledRows(), role.stream().map(m -> m.metric().id() + " " + number(m.value()))
            .collect(Collectors.joining(", ")))).collect(Collectors.joining("; "));
  }

  /** A count as a whole number, any other value to three decimals. */
  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
