package io.mlcycle.features;

import io.delta.tables.DeltaTable;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.job.Errors;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings {@code features/<dataset>} up to date with silver: "read silver at version v → compute the
 * features of the batches not yet in the table → append them, recording hash and silver version".
 * When the definition hash differs from the latest feature version's (or there is none), the whole
 * table is recomputed instead, as a new feature version that freezes its categories and reference
 * statistics from that training window. Every write is exactly once per input, so a rerun changes nothing.
 */
public final class FeatureTableUpdate {
  public static final String FEATURE_HASH = "_feature_hash";
  public static final String FEATURE_VERSION = "_feature_version";
  public static final String SILVER_VERSION = "_silver_version";
  private static final Logger LOG = LoggerFactory.getLogger(FeatureTableUpdate.class);

  private final SparkSession spark;
  private final Storage storage;
  private final FeatureSpec spec;
  private final String runId;
  private final Clock clock;

  /**
   * What the update did.
   *
   * @param action {@code built} (first version), {@code rebuilt} (definition changed), {@code appended}
   *     or {@code up_to_date}
   * @param batches the silver batches computed
   * @param referenceVersion the {@code _mlcycle/feature_reference} version written, or -1
   */
  public record Outcome(String action, FeatureVersion version, long silverVersion, long featuresVersion,
                        long versionsTableVersion, long referenceVersion, long rows, List<String> batches) {}

  public FeatureTableUpdate(SparkSession spark, Storage storage, FeatureSpec spec, String runId, Clock clock) {
    this.spark = spark;
    this.storage = storage;
    this.spec = spec;
    this.runId = runId;
    this.clock = clock;
  }

  public Outcome run() {
    String silverPath = storage.silver(spec.dataset());
    long silverVersion = DeltaTables.version(spark, silverPath);
    if (silverVersion == DeltaTables.NO_TABLE) {
      throw Errors.usage("Cannot build features for '" + spec.dataset() + "': the silver table " + silverPath
          + " does not exist. Run ingest and validate first, or check mlcycle.storage.root and pipeline.name.");
    }
    Dataset<Row> silver = spark.read().format("delta").option("versionAsOf", silverVersion).load(silverPath);
    if (!Arrays.asList(silver.columns()).contains(FeaturePipeline.BATCH_ID)) {
      throw Errors.usage("Cannot build features from " + silverPath + ": it has no " + FeaturePipeline.BATCH_ID
          + " column, so new batches cannot be told from old. Rebuild silver with the validate job.");
    }
    FeaturePipeline pipeline = FeaturePipeline.create(spark, spec, silver.schema(), "silver/" + spec.dataset(),
        CategoryFolding.none(spec.categories().other()));
    String hash = FeatureHash.of(spark, spec);
    Optional<FeatureVersion> latest = FeatureVersions.latest(spark, storage, spec.dataset());
    if (latest.isPresent() && latest.get().hash().equals(hash)) {
      return append(silver, silverVersion, pipeline.withFolding(latest.get().folding()), latest.get());
    }
    return build(silver, silverVersion, pipeline, hash, latest);
  }

  private Outcome append(Dataset<Row> silver, long silverVersion, FeaturePipeline pipeline, FeatureVersion version) {
    String path = storage.features(spec.dataset());
    Dataset<Row> done = spark.read().format("delta").load(path)
        .where(functions.col(FEATURE_HASH).equalTo(version.hash())).select(FeaturePipeline.BATCH_ID);
    List<String> pending = silver.select(FeaturePipeline.BATCH_ID).distinct().except(done).collectAsList()
        .stream().map(r -> r.getString(0)).sorted().toList();
    long tableVersion = DeltaTables.version(spark, path);
    if (pending.isEmpty()) {
      LOG.info("features {}: up to date with silver version {} (feature version {})", spec.dataset(), silverVersion,
          version.version());
      return new Outcome("up_to_date", version, silverVersion, tableVersion, -1, -1, 0, List.of());
    }
    Dataset<Row> rows = tagged(pipeline.transformBatches(silver, pending), version.version(), version.hash(), silverVersion);
    long written = write(rows, path, "append", "features/" + spec.dataset() + "/" + version.hash() + "/silver-" + silverVersion,
        version.hash(), silverVersion);
    long count = writtenRows(path);
    LOG.info("features {}: appended {} rows of {} batches as table version {}", spec.dataset(), count, pending.size(), written);
    return new Outcome("appended", version, silverVersion, written, -1, -1, count, pending);
  }

  private Outcome build(Dataset<Row> silver, long silverVersion, FeaturePipeline pipeline, String hash,
                        Optional<FeatureVersion> previous) {
    String path = storage.features(spec.dataset());
    long before = DeltaTables.version(spark, path);
    Dataset<Row> unfolded = pipeline.unfolded(silver, spark.createDataFrame(List.of(), silver.schema())).cache();
    try {
      TrainingWindow window = TrainingWindow.of(unfolded, spec, pipeline.numericFeatures());
      CategoryCounts counts = CategoryCounts.of(unfolded, pipeline.categoricalFeatures(), window.rows());
      CategoryFolding folding = CategoryFolding.fit(counts, spec.categories());
      int number = previous.map(v -> v.version() + 1).orElse(1);
      Dataset<Row> folded = folding.apply(unfolded);
      long written = write(tagged(folded, number, hash, silverVersion), path, "overwrite",
          "features/" + spec.dataset() + "/" + hash + "/build-after-" + before, hash, silverVersion);
      FeatureVersion version = new FeatureVersion(spec.dataset(), number, hash, previous.map(FeatureVersion::hash),
          previous.map(v -> "definition changed from version " + v.version() + " (hash " + v.hash().substring(0, 12)
              + "): table recomputed").orElse("first version"),
          spec.definition(), folding.toJson(), folding.other(), silverVersion, written, window.rows(),
          window.batches(), window.start(), window.end(), runId, Timestamp.from(clock.instant()));
      List<ReferenceProfile.Bin> bins = ReferenceProfile.histograms(folded, window.edges(), counts, folding, spec.profile());
      long versions = FeatureVersions.record(spark, storage, version);
      long reference = ReferenceProfile.write(spark, storage, version, bins);
      LOG.info("features {}: feature version {} ({}) built from {} rows of {} batches, table version {}",
          spec.dataset(), number, version.reason(), window.rows(), window.batches().size(), written);
      return new Outcome(previous.isPresent() ? "rebuilt" : "built", version, silverVersion, written, versions,
          reference, window.rows(), window.batches());
    } finally {
      unfolded.unpersist();
    }
  }

  private static Dataset<Row> tagged(Dataset<Row> features, int version, String hash, long silverVersion) {
    return features
        .withColumn(FEATURE_VERSION, functions.lit(version))
        .withColumn(FEATURE_HASH, functions.lit(hash))
        .withColumn(SILVER_VERSION, functions.lit(silverVersion));
  }

  /** One Delta commit, exactly once per app id; the commit's metadata names the hash and silver version. */
  private long write(Dataset<Row> rows, String path, String mode, String appId, String hash, long silverVersion) {
    rows.write().format("delta").mode(mode)
        .option("overwriteSchema", mode.equals("overwrite"))
        .option("txnAppId", appId)
        .option("txnVersion", 0L)
        .option("userMetadata", "{\"feature_hash\":\"" + hash + "\",\"silver_version\":" + silverVersion
            + ",\"run_id\":\"" + runId + "\"}")
        .save(path);
    return DeltaTables.version(spark, path);
  }

  /** Rows of the latest commit, from its Delta metrics: no scan. */
  private long writtenRows(String path) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first();
    Map<String, String> metrics = last.getJavaMap(0);
    return Long.parseLong(metrics.getOrDefault("numOutputRows", "0"));
  }

  /**
   * Facts of a feature version's training window from one aggregation: rows, time range, batches, and
   * the quantile edges of every numeric feature.
   */
  record TrainingWindow(long rows, Timestamp start, Timestamp end, List<String> batches, Map<String, double[]> edges) {
    static TrainingWindow of(Dataset<Row> features, FeatureSpec spec, List<String> numeric) {
      Column time = functions.col(spec.eventTime()).cast(DataTypes.TimestampType);
      List<Column> aggregates = new ArrayList<>(List.of(functions.min(time), functions.max(time),
          functions.collect_set(FeaturePipeline.BATCH_ID)));
      aggregates.addAll(Arrays.asList(ReferenceProfile.quantiles(numeric, spec.profile().bins())));
      Row row = features.agg(functions.count(functions.lit(1)), aggregates.toArray(Column[]::new)).first();
      Map<String, double[]> edges = new LinkedHashMap<>();
      for (int i = 0; i < numeric.size(); i++) {
        edges.put(numeric.get(i), ReferenceProfile.distinctEdges(row.isNullAt(4 + i) ? null : row.getList(4 + i)));
      }
      List<String> batches = new ArrayList<>(new TreeSet<>(row.<String>getList(3)));
      return new TrainingWindow(row.getLong(0), row.getTimestamp(1), row.getTimestamp(2), batches, edges);
    }
  }
}
