package io.mlcycle.features;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The reference statistics of a feature version, frozen from its training window: for each numeric
 * feature, quantile bin edges and the histogram over them; for each categorical feature, the top-k
 * categories plus one {@code other} bin. Drift monitoring bins new data with the same edges
 * ({@link #bin}) and compares. Stored in {@code _mlcycle/feature_reference}, one row per bin.
 */
public final class ReferenceProfile {
  public static final String TABLE = "feature_reference";
  /** The bin of a null value. */
  public static final int NULL_BIN = -1;

  static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("feature_version", DataTypes.IntegerType, false)
      .add("feature_hash", DataTypes.StringType, false)
      .add("feature", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("bin", DataTypes.IntegerType, false)
      .add("lower", DataTypes.DoubleType, true)
      .add("upper", DataTypes.DoubleType, true)
      .add("category", DataTypes.StringType, true)
      .add("count", DataTypes.LongType, false)
      .add("share", DataTypes.DoubleType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("created_at", DataTypes.TimestampType, false);

  private ReferenceProfile() {}

  /**
   * One bin of one feature. Numeric bin {@code i} holds values in {@code (lower, upper]} ({@code lower}
   * null for the first, {@code upper} null for the last); a categorical bin holds {@code category}, the
   * last one {@code other}; bin {@link #NULL_BIN} holds nulls.
   */
  public record Bin(String feature, String kind, int bin, Double lower, Double upper, String category, long count,
                    double share) {}

  /**
   * The bin of each value given sorted interior edges: the number of edges strictly below it (so bin
   * {@code i} is {@code (edges[i-1], edges[i]]}), {@link #NULL_BIN} for null. Built-in functions only.
   */
  public static Column bin(Column value, double[] edges) {
    Column number = value.cast(DataTypes.DoubleType);
    Column bin = functions.when(number.isNull(), NULL_BIN);
    for (int i = 0; i < edges.length; i++) {
      bin = bin.when(number.leq(edges[i]), i);
    }
    return bin.otherwise(edges.length);
  }

  /** Rows the quantile edges are estimated from, at most: a seeded sample beyond that. */
  static final long QUANTILE_SAMPLE = 300_000;

  /**
   * Quantile edges for each numeric feature of {@code features} ({@code rows} of them), {@code bins - 1}
   * of them (fewer when quantiles repeat), from one aggregation over at most {@value #QUANTILE_SAMPLE}
   * rows: a seeded sample of a larger table, whose rank error (about 0.1% of the rows at that size) is
   * that of the sketch itself. The histograms over these edges count every row.
   */
  static Map<String, double[]> edges(Dataset<Row> features, long rows, List<String> numeric, int bins) {
    Map<String, double[]> edges = new LinkedHashMap<>();
    if (numeric.isEmpty()) {
      return edges;
    }
    double[] probabilities = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      probabilities[i - 1] = (double) i / bins;
    }
    Column probs = functions.lit(probabilities);
    Column[] quantiles = numeric.stream()
        .map(f -> functions.percentile_approx(functions.col(f).cast(DataTypes.DoubleType), probs, functions.lit(1_000)))
        .toArray(Column[]::new);
    Dataset<Row> sample = rows > QUANTILE_SAMPLE ? features.sample((double) QUANTILE_SAMPLE / rows, 20_011L) : features;
    Row row = sample.agg(quantiles[0], java.util.Arrays.copyOfRange(quantiles, 1, quantiles.length)).first();
    for (int i = 0; i < numeric.size(); i++) {
      edges.put(numeric.get(i), distinctEdges(row.isNullAt(i) ? null : row.getList(i)));
    }
    return edges;
  }

  /** Sorted distinct edges (quantiles of discrete features repeat); an all-null feature has none. */
  static double[] distinctEdges(List<Double> quantiles) {
    return quantiles == null ? new double[0]
        : quantiles.stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue)
            .distinct().sorted().toArray();
  }

  /**
   * The histograms: numeric ones over {@code edges} in one aggregation pass over {@code features},
   * categorical ones from the counts already made (the top-k kept categories, the rest as other).
   */
  static List<Bin> histograms(Dataset<Row> features, Map<String, double[]> edges, CategoryCounts counts,
                              CategoryFolding folding, FeatureSpec.Profile profile) {
    List<Bin> bins = new ArrayList<>();
    long rows = counts.rows();
    if (!edges.isEmpty()) {
      // One (feature, bin) pair per feature and row, grouped: a few hundred groups. Counting each bin of
      // each feature as its own aggregate instead is several times slower.
      List<String> names = new ArrayList<>(edges.keySet());
      Column[] pairs = new Column[names.size()];
      for (int f = 0; f < names.size(); f++) {
        pairs[f] = functions.struct(functions.lit(f).as("feature"),
            bin(functions.col(names.get(f)), edges.get(names.get(f))).as("bin"));
      }
      Map<List<Integer>, Long> counted = new java.util.HashMap<>();
      features.select(functions.explode(functions.array(pairs)).as("pair"))
          .groupBy(functions.col("pair.feature"), functions.col("pair.bin")).count().collectAsList()
          .forEach(r -> counted.put(List.of(r.getInt(0), r.getInt(1)), r.getLong(2)));
      for (int f = 0; f < names.size(); f++) {
        double[] e = edges.get(names.get(f));
        for (int b = NULL_BIN; b <= e.length; b++) {
          long count = counted.getOrDefault(List.of(f, b), 0L);
          Double lower = b <= 0 ? null : e[b - 1];
          Double upper = b < 0 || b == e.length ? null : e[b];
          bins.add(new Bin(names.get(f), "numeric", b, lower, upper, null, count, share(count, rows)));
        }
      }
    }
    counts.counts().forEach((feature, values) -> bins.addAll(categorical(feature, values, folding, profile, rows)));
    return bins;
  }

  private static List<Bin> categorical(String feature, Map<String, Long> values, CategoryFolding folding,
                                       FeatureSpec.Profile profile, long rows) {
    List<String> kept = folding.kept().getOrDefault(feature, List.of());
    List<Map.Entry<String, Long>> top = values.entrySet().stream()
        .filter(e -> kept.contains(e.getKey()) && !e.getKey().equals(folding.other()))
        .sorted(CategoryFolding.mostFrequentFirst()).limit(profile.topK()).toList();
    List<Bin> bins = new ArrayList<>();
    long counted = 0;
    for (Map.Entry<String, Long> category : top) {
      bins.add(new Bin(feature, "categorical", bins.size(), null, null, category.getKey(), category.getValue(),
          share(category.getValue(), rows)));
      counted += category.getValue();
    }
    bins.add(new Bin(feature, "categorical", bins.size(), null, null, folding.other(), rows - counted,
        share(rows - counted, rows)));
    return bins;
  }

  private static double share(long count, long rows) {
    return rows == 0 ? 0.0 : (double) count / rows;
  }

  /** Writes the bins of one feature version exactly once; returns the table's version. */
  static long write(SparkSession spark, Storage storage, FeatureVersion version, List<Bin> bins) {
    List<Row> rows = new ArrayList<>();
    for (Bin b : bins) {
      rows.add(RowFactory.create(version.dataset(), version.version(), version.hash(), b.feature(), b.kind(), b.bin(),
          b.lower(), b.upper(), b.category(), b.count(), b.share(), version.runId(), version.createdAt()));
    }
    return DeltaTables.appendOnce(spark.createDataFrame(rows, SCHEMA), storage.system(TABLE), appId(version));
  }

  /** Whether the feature version's bins are written. */
  static boolean written(SparkSession spark, Storage storage, FeatureVersion version) {
    return DeltaTables.committed(spark, storage.system(TABLE), appId(version));
  }

  private static String appId(FeatureVersion version) {
    return "feature_reference/" + version.dataset() + "/" + version.hash() + "/" + version.featuresTableVersion();
  }

  /**
   * Every bin of every feature of a feature version, by feature and bin; empty when the version has no
   * profile (or the table does not exist). One small Spark job.
   */
  public static List<Bin> bins(SparkSession spark, Storage storage, String dataset, int featureVersion) {
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return List.of();
    }
    List<Row> rows = spark.read().format("delta").load(path)
        .where(functions.col("dataset").equalTo(dataset).and(functions.col("feature_version").equalTo(featureVersion)))
        .select("feature", "kind", "bin", "lower", "upper", "category", "count", "share")
        .orderBy("feature", "bin").collectAsList();
    List<Bin> bins = new ArrayList<>();
    for (Row r : rows) {
      bins.add(new Bin(r.getString(0), r.getString(1), r.getInt(2), r.isNullAt(3) ? null : r.getDouble(3),
          r.isNullAt(4) ? null : r.getDouble(4), r.getString(5), r.getLong(6), r.getDouble(7)));
    }
    return bins;
  }

  /** The frozen edges of each numeric feature of a feature version, as drift needs them. */
  public static Map<String, double[]> edges(SparkSession spark, Storage storage, String dataset, int featureVersion) {
    List<Row> rows = spark.read().format("delta").load(storage.system(TABLE))
        .where(functions.col("dataset").equalTo(dataset)
            .and(functions.col("feature_version").equalTo(featureVersion))
            .and(functions.col("kind").equalTo("numeric")).and(functions.col("bin").geq(0)))
        .select("feature", "bin", "upper").orderBy("feature", "bin").collectAsList();
    Map<String, List<Double>> grouped = new LinkedHashMap<>();
    for (Row r : rows) {
      List<Double> edges = grouped.computeIfAbsent(r.getString(0), f -> new ArrayList<>());
      if (!r.isNullAt(2)) {
        edges.add(r.getDouble(2));
      }
    }
    Map<String, double[]> edges = new LinkedHashMap<>();
    grouped.forEach((f, e) -> edges.put(f, e.stream().mapToDouble(Double::doubleValue).toArray()));
    return edges;
  }
}
