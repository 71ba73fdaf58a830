package io.mlcycle.monitoring;

import io.mlcycle.features.ReferenceProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The frozen reference histogram of one column, and how a batch's values fall into the same bins.
 * Numeric and prediction columns: slot 0 holds nulls, slot {@code i + 1} the reference bin {@code i},
 * {@code (edges[i-1], edges[i]]}. Categorical columns: slot {@code i} holds {@code categories[i]} and the
 * last slot holds everything else — the {@code other} bin, where the feature table has already folded
 * rare, unseen and null categories.
 *
 * @param column the column of the batch the bins apply to
 * @param counts the reference rows in each slot
 */
public record ReferenceBins(String column, Kind kind, double[] edges, List<String> categories, long[] counts) {
  /** What the column is; the measures and the drift rule differ by kind. */
  public enum Kind {
    NUMERIC, CATEGORICAL, PREDICTION;

    /** The word stored in {@code _mlcycle/drift.kind}. */
    public String label() {
      return name().toLowerCase();
    }
  }

  public ReferenceBins {
    edges = edges.clone();
    categories = List.copyOf(categories);
    counts = counts.clone();
    int slots = kind == Kind.CATEGORICAL ? categories.size() + 1 : edges.length + 2;
    if (counts.length != slots) {
      throw new IllegalArgumentException(column + ": " + counts.length + " reference counts for " + slots + " slots");
    }
  }

  @Override
  public double[] edges() {
    return edges.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** The histograms of a feature version as {@link ReferenceProfile#bins} loads them, in its feature order. */
  public static List<ReferenceBins> fromProfile(List<ReferenceProfile.Bin> bins) {
    Map<String, List<ReferenceProfile.Bin>> byFeature = new LinkedHashMap<>();
    bins.forEach(b -> byFeature.computeIfAbsent(b.feature(), f -> new ArrayList<>()).add(b));
    List<ReferenceBins> references = new ArrayList<>();
    byFeature.forEach((feature, featureBins) -> references.add(featureBins.get(0).kind().equals("numeric")
        ? numeric(feature, featureBins) : categorical(feature, featureBins)));
    return references;
  }

  private static ReferenceBins numeric(String feature, List<ReferenceProfile.Bin> bins) {
    List<ReferenceProfile.Bin> sorted = bins.stream().sorted((a, b) -> Integer.compare(a.bin(), b.bin())).toList();
    double[] edges = sorted.stream().filter(b -> b.bin() >= 0 && b.upper() != null)
        .mapToDouble(ReferenceProfile.Bin::upper).toArray();
    long[] counts = new long[edges.length + 2];
    sorted.forEach(b -> counts[b.bin() + 1] = b.count());
    return new ReferenceBins(feature, Kind.NUMERIC, edges, List.of(), counts);
  }

  private static ReferenceBins categorical(String feature, List<ReferenceProfile.Bin> bins) {
    List<ReferenceProfile.Bin> sorted = bins.stream().sorted((a, b) -> Integer.compare(a.bin(), b.bin())).toList();
    List<String> categories = sorted.subList(0, sorted.size() - 1).stream().map(ReferenceProfile.Bin::category).toList();
    long[] counts = sorted.stream().mapToLong(ReferenceProfile.Bin::count).toArray();
    return new ReferenceBins(feature, Kind.CATEGORICAL, new double[0], categories, counts);
  }

  /** A probability column's reference over {@code bins} equal-width bins of [0, 1], with its counts. */
  public static ReferenceBins prediction(String column, int bins, long[] counts) {
    return new ReferenceBins(column, Kind.PREDICTION, equalWidthEdges(bins), List.of(), counts);
  }

  /** The interior edges 1/bins, 2/bins, … of equal-width bins over [0, 1]. */
  static double[] equalWidthEdges(int bins) {
    double[] edges = new double[bins - 1];
    Arrays.setAll(edges, i -> (double) (i + 1) / bins);
    return edges;
  }

  /** The slot of each value of {@code value}, with built-in functions only. */
  public Column slot(Column value) {
    if (kind != Kind.CATEGORICAL) {
      return ReferenceProfile.bin(value, edges).plus(1);
    }
    Column text = value.cast(DataTypes.StringType);
    Column slot = functions.lit(categories.size());
    for (int i = categories.size() - 1; i >= 0; i--) {
      slot = functions.when(text.equalTo(categories.get(i)), i).otherwise(slot);
    }
    return slot;
  }

  public int slots() {
    return counts.length;
  }

  /** The counts without the null slot, in edge order: what the binned KS compares (numeric kinds only). */
  static long[] withoutNulls(long[] counts) {
    return Arrays.copyOfRange(counts, 1, counts.length);
  }
}
