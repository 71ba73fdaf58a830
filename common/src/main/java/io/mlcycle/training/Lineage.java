package io.mlcycle.training;

import io.mlcycle.spark.RuntimeVersions;
import io.mlcycle.tracking.TrackingTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a training run's model came from, as the rows of {@code _mlcycle/lineage} hold it (kind → name →
 * value): the feature-table version, and the silver version and feature definitions that table was computed
 * from, the config, fold-assignment and training-rows hashes, the runtime versions, the split and the
 * resolved pipeline configuration (secrets redacted). Evaluate re-derives the run's holdout from it,
 * {@code reproduce} rebuilds the model from it; the lineage job and the report read the same rows.
 *
 * <p>Runs recorded before the training-rows hash, the partition count and the configuration were kept
 * read back with those empty ({@code ""}, 0 and empty): {@link #missingForReproduction()} names them.
 */
public record Lineage(String dataset, long featuresVersion, Optional<FeatureOrigin> origin, String configHash,
                      long foldFingerprint, String rowsHash, RuntimeVersions versions, Split split,
                      Optional<String> pipelineConfig) {

  /** The feature definitions' hash and version and the silver version the feature rows were computed from. */
  public record FeatureOrigin(String definitionsHash, String definitionsVersion, String silverVersion) {}

  /** How the run split its rows into folds and holdout, so that evaluate finds the same holdout rows. */
  public record Split(String method, double testFraction, int folds, long seed, List<String> entityKey,
                      int partitions) {
    static Split of(TrainingSpec spec) {
      return new Split(spec.splitMethod(), spec.testFraction(), spec.folds(), spec.seed(), spec.entityKey(),
          spec.partitions());
    }

    /** The spec with this split instead of its own (the config may have changed since the run). */
    public TrainingSpec applyTo(TrainingSpec spec) {
      return spec.withSplit(method, testFraction, folds, seed);
    }
  }

  /** The rows as kind → (name → value), in the order they are written. */
  public Map<String, Map<String, String>> entries() {
    Map<String, Map<String, String>> entries = new LinkedHashMap<>();
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put(featuresTable(dataset), Long.toString(featuresVersion));
    origin.ifPresent(o -> tables.put("silver/" + dataset, o.silverVersion()));
    entries.put("table", tables);
    entries.put("hash", ordered("config", configHash, "fold_assignment", Long.toHexString(foldFingerprint),
        "training_rows", rowsHash));
    entries.put("version", ordered("mlcycle", versions.mlcycle(), "spark", versions.spark(), "delta",
        versions.delta(), "java", versions.java()));
    entries.put("split", ordered("method", split.method(), "test_fraction", Double.toString(split.testFraction()),
        "folds", Integer.toString(split.folds()), "seed", Long.toString(split.seed()),
        "entity_key", String.join(",", split.entityKey()), "partitions", Integer.toString(split.partitions())));
    origin.ifPresent(o -> entries.put("feature_definitions",
        ordered("hash", o.definitionsHash(), "version", o.definitionsVersion())));
    pipelineConfig.ifPresent(c -> entries.put("config", ordered("pipeline", c)));
    return entries;
  }

  /** What a reproduction needs that this run did not record (it was trained by an older mlcycle). */
  public List<String> missingForReproduction() {
    List<String> missing = new java.util.ArrayList<>();
    if (rowsHash.isEmpty()) {
      missing.add("hash.training_rows");
    }
    if (split.partitions() < 1) {
      missing.add("split.partitions");
    }
    if (pipelineConfig.isEmpty()) {
      missing.add("config.pipeline");
    }
    return missing;
  }

  /**
   * The lineage training run {@code runId} of {@code model} recorded, or empty when it recorded none (or
   * not the feature-table version, hashes, versions and split every training run records).
   */
  public static Optional<Lineage> read(TrackingTables tracking, String model, String runId, String dataset) {
    Map<String, Map<String, String>> rows = tracking.lineage(model, runId);
    Map<String, String> tables = rows.getOrDefault("table", Map.of());
    if (!tables.containsKey(featuresTable(dataset))
        || !rows.keySet().containsAll(List.of("hash", "version", "split"))) {
      return Optional.empty();
    }
    Map<String, String> hash = rows.get("hash");
    Map<String, String> version = rows.get("version");
    Map<String, String> split = rows.get("split");
    Optional<FeatureOrigin> origin = Optional.ofNullable(rows.get("feature_definitions"))
        .map(d -> new FeatureOrigin(d.get("hash"), d.get("version"), tables.get("silver/" + dataset)));
    String entityKey = split.getOrDefault("entity_key", "");
    return Optional.of(new Lineage(dataset, Long.parseLong(tables.get(featuresTable(dataset))), origin,
        hash.get("config"), Long.parseUnsignedLong(hash.get("fold_assignment"), 16),
        hash.getOrDefault("training_rows", ""),
        new RuntimeVersions(version.get("mlcycle"), version.get("spark"), version.get("delta"), version.get("java")),
        new Split(split.get("method"), Double.parseDouble(split.get("test_fraction")),
            Integer.parseInt(split.get("folds")), Long.parseLong(split.get("seed")),
            entityKey.isEmpty() ? List.of() : List.of(entityKey.split(",")),
            Integer.parseInt(split.getOrDefault("partitions", "0"))),
        Optional.ofNullable(rows.getOrDefault("config", Map.of()).get("pipeline"))));
  }

  /** The name the feature table's version is recorded under. */
  public static String featuresTable(String dataset) {
    return "features/" + dataset;
  }

  private static Map<String, String> ordered(String... namesAndValues) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      entries.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return entries;
  }
}
