package io.mlcycle.features;

import io.delta.tables.DeltaTable;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.base.Errors;
import io.mlcycle.base.Steps;
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
    FeaturePipeline pipeline = Steps.timed(LOG, "features " + spec.dataset() + ": check the definitions",
        () -> FeaturePipeline.create(spark, spec, silver.schema(), "silver/" + spec.dataset(),
            CategoryFolding.none(spec.categories().other())));
    String hash = FeatureHash.of(spark, spec);
    Optional<FeatureVersion> latest = Steps.timed(LOG, "features " + spec.dataset() + ": latest feature version",
        () -> FeatureVersions.latest(spark, storage, spec.dataset()));
    if (latest.isPresent() && latest.get().hash().equals(hash)) {
      completeReference(pipeline, latest.get());
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

  /**
   * A new feature version over all of silver, in three passes: the categories and training-window facts
   * (no windows: a scan and the lookups), the features written with those categories frozen, then the
   * reference statistics from the written table (quantile edges, then the histograms over them).
   */
  private Outcome build(Dataset<Row> silver, long silverVersion, FeaturePipeline pipeline, String hash,
                        Optional<FeatureVersion> previous) {
    String path = storage.features(spec.dataset());
    String name = "features " + spec.dataset() + ": ";
    TrainingWindow window = Steps.timed(LOG, name + "categories and training window",
        () -> TrainingWindow.of(pipeline.categories(silver), spec, pipeline.categoricalFeatures()));
    CategoryFolding folding = CategoryFolding.fit(window.counts(), spec.categories());
    int number = previous.map(v -> v.version() + 1).orElse(1);
    Dataset<Row> features = pipeline.withFolding(folding).transform(silver, spark.createDataFrame(List.of(), silver.schema()));
    long written = Steps.timed(LOG, name + "compute and write", () -> write(tagged(features, number, hash, silverVersion),
        path, "overwrite", "features/" + spec.dataset() + "/" + hash + "/build-v" + number, hash, silverVersion));
    List<ReferenceProfile.Bin> bins = referenceBins(pipeline, window, folding, written);
    FeatureVersion version = new FeatureVersion(spec.dataset(), number, hash, previous.map(FeatureVersion::hash),
        previous.map(v -> "definition changed from version " + v.version() + " (hash " + v.hash().substring(0, 12)
            + "): table recomputed").orElse("first version"),
        spec.definition(), folding.toJson(), folding.other(), silverVersion, written, window.rows(),
        window.batches(), window.start(), window.end(), runId, Timestamp.from(clock.instant()));
    long versions = FeatureVersions.record(spark, storage, version);
    long reference = ReferenceProfile.write(spark, storage, version, bins);
    LOG.info("features {}: feature version {} ({}) built from {} rows of {} batches, table version {}",
        spec.dataset(), number, version.reason(), window.rows(), window.batches().size(), written);
    return new Outcome(previous.isPresent() ? "rebuilt" : "built", version, silverVersion, written, versions,
        reference, window.rows(), window.batches());
  }

  /** The reference bins of a feature version: quantile edges, then the histograms over them, from the written table. */
  private List<ReferenceProfile.Bin> referenceBins(FeaturePipeline pipeline, TrainingWindow window,
                                                   CategoryFolding folding, long featuresTableVersion) {
    String name = "features " + spec.dataset() + ": ";
    Dataset<Row> table = spark.read().format("delta").option("versionAsOf", featuresTableVersion)
        .load(storage.features(spec.dataset()));
    Map<String, double[]> edges = Steps.timed(LOG, name + "reference quantiles",
        () -> ReferenceProfile.edges(table, window.rows(), pipeline.numericFeatures(), spec.profile().bins()));
    return Steps.timed(LOG, name + "reference histograms",
        () -> ReferenceProfile.histograms(table, edges, window.counts(), folding, spec.profile()));
  }

  /**
   * Writes the reference bins of a recorded feature version that has none: a run killed between recording
   * the version and writing its bins. They are computed again from what the version recorded — silver at
   * its version for the training window, the feature table at its version — so they are the bins that run
   * would have written.
   */
  private void completeReference(FeaturePipeline pipeline, FeatureVersion version) {
    if (ReferenceProfile.written(spark, storage, version)) {
      return;
    }
    LOG.info("features {}: feature version {} has no reference bins; computing them", spec.dataset(),
        version.version());
    Dataset<Row> silver = spark.read().format("delta").option("versionAsOf", version.silverVersion())
        .load(storage.silver(spec.dataset()));
    TrainingWindow window = TrainingWindow.of(pipeline.categories(silver), spec, pipeline.categoricalFeatures());
    ReferenceProfile.write(spark, storage, version, referenceBins(pipeline, window, version.folding(),
        version.featuresTableVersion()));
  }

  /**
   * The rows of feature version {@code version} computed again from {@code silver} (the silver table at the
   * version it was built or last appended from), tagged as the table tags them: what {@code reproduce} trains
   * on when the feature table's own version was vacuumed. Computing every batch at once gives the rows
   * appending batch by batch gave, as the point-in-time windows see the same history.
   */
  public static Dataset<Row> recompute(SparkSession spark, FeatureSpec spec, FeatureVersion version,
                                       Dataset<Row> silver, long silverVersion) {
    FeaturePipeline pipeline = FeaturePipeline.create(spark, spec, silver.schema(), "silver/" + spec.dataset(),
        CategoryFolding.none(spec.categories().other())).withFolding(version.folding());
    return tagged(pipeline.transform(silver, spark.createDataFrame(List.of(), silver.schema())), version.version(),
        version.hash(), silverVersion);
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
        .option(DeltaTables.STATS_COLUMNS, ColumnNames.quotedList(statsColumns()))
        .options(DeltaTables.columnMapping(rows, path))
        .option("txnAppId", appId)
        .option("txnVersion", 0L)
        .option("userMetadata", "{\"feature_hash\":\"" + hash + "\",\"silver_version\":" + silverVersion
            + ",\"run_id\":\"" + runId + "\"}")
        .save(path);
    return DeltaTables.version(spark, path);
  }

  /** The columns Delta keeps file statistics of, for skipping: the event time (when there is one) and the tags. */
  private List<String> statsColumns() {
    List<String> columns = new ArrayList<>();
    spec.eventTime().ifPresent(columns::add);
    columns.addAll(List.of(FeaturePipeline.BATCH_ID, FEATURE_HASH, FEATURE_VERSION));
    return columns;
  }

  /** Rows of the latest commit, from its Delta metrics: no scan. */
  private long writtenRows(String path) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first();
    Map<String, String> metrics = last.getJavaMap(0);
    return Long.parseLong(metrics.getOrDefault("numOutputRows", "0"));
  }

  /**
   * Facts of a feature version's training window — rows, time range, batches — and the count of each
   * category of each categorical feature, in two aggregations: rows grouped by batch and all categories at
   * once (few groups: the combinations that occur), then those groups' (feature, category) pairs and
   * (batch) pair exploded and grouped. Exploding every row's pairs instead costs a pass over several
   * times the rows.
   */
  record TrainingWindow(long rows, Timestamp start, Timestamp end, List<String> batches, CategoryCounts counts) {
    static TrainingWindow of(Dataset<Row> categories, FeatureSpec spec, List<String> categorical) {
      List<Column> keys = new ArrayList<>(List.of(functions.col(FeaturePipeline.BATCH_ID)));
      categorical.forEach(f -> keys.add(functions.col(f).cast(DataTypes.StringType).as(f)));
      // Without an event time the window has no time range: start and end stay null.
      Column time = spec.eventTime().map(t -> ColumnNames.column(t).cast(DataTypes.TimestampType))
          .orElse(functions.lit(null).cast(DataTypes.TimestampType));
      Dataset<Row> combinations = categories.groupBy(keys.toArray(Column[]::new))
          .agg(functions.count(functions.lit(1)).as("__rows"), functions.min(time).as("__first"),
              functions.max(time).as("__last"));
      List<Column> pairs = new ArrayList<>();
      categorical.forEach(f -> pairs.add(functions.struct(functions.lit(f).as("feature"), functions.col(f).as("value"))));
      pairs.add(functions.struct(functions.lit(null).cast(DataTypes.StringType).as("feature"),
          functions.col(FeaturePipeline.BATCH_ID).as("value")));
      List<Row> groups = combinations
          .select(functions.explode(functions.array(pairs.toArray(Column[]::new))).as("pair"), functions.col("__rows"),
              functions.col("__first"), functions.col("__last"))
          .where(functions.col("pair.value").isNotNull())
          .groupBy(functions.col("pair.feature"), functions.col("pair.value"))
          .agg(functions.sum("__rows"), functions.min("__first"), functions.max("__last"))
          .collectAsList();
      Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
      categorical.forEach(f -> counts.put(f, new LinkedHashMap<>()));
      long rows = 0;
      Timestamp start = null;
      Timestamp end = null;
      TreeSet<String> batches = new TreeSet<>();
      for (Row group : groups) {
        if (!group.isNullAt(0)) {
          counts.get(group.getString(0)).put(group.getString(1), group.getLong(2));
          continue;
        }
        batches.add(group.getString(1));
        rows += group.getLong(2);
        Timestamp first = group.getTimestamp(3);
        Timestamp last = group.getTimestamp(4);
        start = first != null && (start == null || first.before(start)) ? first : start;
        end = last != null && (end == null || last.after(end)) ? last : end;
      }
      return new TrainingWindow(rows, start, end, new ArrayList<>(batches), new CategoryCounts(rows, counts));
    }
  }
}
