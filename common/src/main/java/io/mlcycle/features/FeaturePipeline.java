package io.mlcycle.features;

import io.mlcycle.io.ColumnNames;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one code path from silver rows to feature rows, for the features job and for batch scoring alike:
 * lookups, then the past-window aggregates (over the rows and the earlier history they need), then the
 * value features, then the frozen category folding, then the label.
 *
 * <p>Point-in-time correct by construction: a window aggregates only rows of its group strictly before
 * each row's event time (and, when it reads a column the label reads, only rows whose outcome was known
 * by then: {@code pipeline.label.known-after}), so no row's features depend on later rows. Only
 * built-in Spark functions: no UDFs. Creating a pipeline checks the spec against the schema and reads no data.
 */
public final class FeaturePipeline {
  /** The batch column silver rows carry and feature rows keep. */
  public static final String BATCH_ID = "_batch_id";
  private static final String NEW_ROW = "__new_row";

  private final FeatureSpec spec;
  private final Map<String, Dataset<Row>> tables;
  private final FeatureCheck.Result checked;
  private final CategoryFolding folding;

  private FeaturePipeline(FeatureSpec spec, Map<String, Dataset<Row>> tables, FeatureCheck.Result checked,
                          CategoryFolding folding) {
    this.spec = spec;
    this.tables = tables;
    this.checked = checked;
    this.folding = folding;
  }

  /**
   * Checks the spec against the schema of the rows it will transform (exit 2 naming the feature and
   * the column on any problem) and opens the reference tables; no Spark job runs.
   *
   * @param source what the schema belongs to, for messages, e.g. {@code silver/flights}
   */
  public static FeaturePipeline create(SparkSession spark, FeatureSpec spec, StructType schema, String source,
                                       CategoryFolding folding) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (ReferenceTable table : spec.tables()) {
      tables.put(table.name(), table.load(spark));
    }
    FeatureCheck.Result checked = new FeatureCheck(spark, spec, schema, source).check(tables);
    return new FeaturePipeline(spec, tables, checked, folding);
  }

  /** The same pipeline with the categories a feature version froze. */
  public FeaturePipeline withFolding(CategoryFolding frozen) {
    return new FeaturePipeline(spec, tables, checked, frozen);
  }

  public CategoryFolding folding() {
    return folding;
  }

  public List<String> categoricalFeatures() {
    return spec.features().stream().filter(FeatureDefinition::categorical).map(FeatureDefinition::name).toList();
  }

  public List<String> numericFeatures() {
    return spec.features().stream().filter(f -> !f.categorical()).map(FeatureDefinition::name).toList();
  }

  /**
   * Feature rows for {@code rows}: entity key, event time, every feature (folded), the label when
   * declared, and {@code _batch_id} when the rows have it.
   *
   * @param history earlier rows the windows may reach (same columns as {@code rows}, none of the same
   *     rows); only their contribution to the windows is used. Empty or a superset both work.
   */
  public Dataset<Row> transform(Dataset<Row> rows, Dataset<Row> history) {
    return folding.apply(unfolded(rows, history));
  }

  /**
   * Feature rows for the given batches of {@code silver}, with exactly the history the windows need:
   * silver rows of other batches from the longest look-back before the batches' first event time. This
   * costs one small Spark job (the batches' time range); it is how both the job and scoring call it.
   */
  public Dataset<Row> transformBatches(Dataset<Row> silver, Collection<String> batchIds) {
    Column inBatches = functions.col(BATCH_ID).isin(batchIds.toArray());
    return transformWithHistory(silver.where(inBatches), silver.where(functions.not(inBatches)));
  }

  /**
   * Feature rows for {@code rows}, taking from {@code others} (rows of the same shape, none of them in
   * {@code rows}) exactly the history the windows need: those from the longest look-back before the
   * first event time of {@code rows}. One small Spark job (the time range).
   */
  public Dataset<Row> transformWithHistory(Dataset<Row> rows, Dataset<Row> others) {
    if (spec.windows().isEmpty()) {
      return transform(rows, rows.limit(0));
    }
    // As timestamps, whatever the event time's type (a date, a timestamp without time zone): the look-back
    // is a duration, and Spark compares a date with a timestamp bound by casting it the same way.
    Column time = ColumnNames.column(spec.eventTime().orElseThrow()).cast(DataTypes.TimestampType);
    Row range = rows.agg(functions.min(time), functions.max(time)).first();
    if (range.isNullAt(0)) {
      return transform(rows, rows.limit(0));
    }
    Duration reach = spec.maxLookback();
    Dataset<Row> history = others
        .where(time.geq(functions.lit(minus(range.get(0), reach))).and(time.lt(functions.lit(range.get(1)))));
    return transform(rows, history);
  }

  /** A timestamp as Spark returns it (an {@link Instant} under spark.sql.datetime.java8API.enabled), less the duration. */
  private static Object minus(Object time, Duration duration) {
    if (time instanceof Instant instant) {
      return instant.minus(duration);
    }
    return Timestamp.from(((Timestamp) time).toInstant().minus(duration));
  }

  /** The features before category folding: what a new feature version freezes its categories from. */
  Dataset<Row> unfolded(Dataset<Row> rows, Dataset<Row> history) {
    boolean windows = !spec.windows().isEmpty();
    Dataset<Row> all = rows.withColumn(NEW_ROW, functions.lit(true));
    if (windows) {
      all = all.unionByName(history.withColumn(NEW_ROW, functions.lit(false)));
    }
    // Windows that read no lookup run before the lookups: Spark sorts the narrow silver rows (and only the
    // new rows reach the joins) instead of rows widened by the looked-up structs.
    boolean windowsFirst = windows && spec.lookups().stream().noneMatch(l -> checked.windowReads().contains(l.name()));
    if (windowsFirst) {
      all = withWindows(all);
    }
    all = withLookups(all);
    if (windows && !windowsFirst) {
      all = withWindows(all);
    }
    for (FeatureDefinition feature : spec.features()) {
      if (!feature.isWindow()) {
        all = all.withColumn(feature.name(), FeatureColumns.value(feature));
      }
    }
    if (spec.label().isPresent()) {
      all = all.withColumn(spec.label().get().column(),
          FeatureColumns.label(spec.label().get(), checked.labelType().orElseThrow()));
    }
    return all.select(outputColumns(all));
  }

  /**
   * The event time (when there is one), the batch (when the rows have one) and every categorical feature, unfolded: what a
   * new feature version counts its categories and training window from. Computes no window when no
   * categorical feature depends on one, so it costs a scan and the lookups, not a sort.
   */
  Dataset<Row> categories(Dataset<Row> rows) {
    List<String> categorical = categoricalFeatures();
    List<Column> columns = new ArrayList<>();
    spec.eventTime().ifPresent(t -> columns.add(ColumnNames.column(t)));
    if (List.of(rows.columns()).contains(BATCH_ID)) {
      columns.add(functions.col(BATCH_ID));
    }
    categorical.forEach(f -> columns.add(functions.col(f)));
    boolean needsWindows = spec.features().stream().anyMatch(f -> categorical.contains(f.name())
        && (f.isWindow() || checked.windowDependent().contains(f.name())));
    if (needsWindows) {
      return unfolded(rows, rows.limit(0)).select(columns.toArray(Column[]::new));
    }
    Dataset<Row> all = withLookups(rows);
    for (FeatureDefinition feature : spec.features()) {
      if (!feature.isWindow() && !checked.windowDependent().contains(feature.name())) {
        all = all.withColumn(feature.name(), FeatureColumns.value(feature));
      }
    }
    return all.select(columns.toArray(Column[]::new));
  }

  private Dataset<Row> withLookups(Dataset<Row> rows) {
    Dataset<Row> all = rows;
    for (Lookup lookup : spec.lookups()) {
      ReferenceTable table = spec.tables().stream().filter(t -> t.name().equals(lookup.table())).findFirst().orElseThrow();
      all = FeatureColumns.withLookup(all, lookup, table, tables.get(table.name()));
    }
    return all;
  }

  /** Every window column, then only the new rows (the history served the windows only). */
  private Dataset<Row> withWindows(Dataset<Row> rows) {
    Dataset<Row> timed = FeatureColumns.withEventMicros(rows, spec.eventTime().orElseThrow());
    return timed.select(withStar(windowColumns(List.of(timed.columns())))).where(functions.col(NEW_ROW));
  }

  /** Every window in one projection, so Spark sorts each group once for all of them. */
  private Column[] windowColumns(List<String> columns) {
    Duration knownAfter = spec.label().map(Label::knownAfter).orElse(Duration.ZERO);
    return spec.windows().stream()
        .map(f -> FeatureColumns.window(f, checked.outcomeWindows().contains(f.name()) ? knownAfter : Duration.ZERO,
            checked.expressionTypes().get(f.name()), columns).as(f.name()))
        .toArray(Column[]::new);
  }

  private static Column[] withStar(Column[] more) {
    Column[] all = new Column[more.length + 1];
    all[0] = functions.col("*");
    System.arraycopy(more, 0, all, 1, more.length);
    return all;
  }

  private Column[] outputColumns(Dataset<Row> all) {
    List<Column> columns = new ArrayList<>();
    ColumnNames.keyAndEventTime(spec.entityKey(), spec.eventTime()).forEach(c -> columns.add(ColumnNames.column(c)));
    spec.features().forEach(f -> columns.add(functions.col(f.name())));
    spec.label().ifPresent(l -> columns.add(functions.col(l.column())));
    if (List.of(all.columns()).contains(BATCH_ID)) {
      columns.add(functions.col(BATCH_ID));
    }
    return columns.toArray(Column[]::new);
  }
}
