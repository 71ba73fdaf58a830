package io.mlcycle.features;

import io.mlcycle.base.Errors;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.io.ColumnNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks a feature spec against the schema of the data before any data is read: every expression is
 * parsed and analysed by Spark on an empty frame of that schema (no Spark job). A failure names the
 * feature, its key path, the column and the fix, and exits 2. It also enforces that the label never
 * feeds a feature except through a past window, and finds the windows that read the label's columns.
 */
final class FeatureCheck {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private final SparkSession spark;
  private final FeatureSpec spec;
  private final StructType schema;
  private final String source;

  /**
   * What the check learnt.
   *
   * @param expressionTypes the type of each feature's expression, before it is aggregated and stored
   * @param outcomeWindows the window features that read a column the label reads
   * @param labelType the label's type, when there is a label
   * @param windowReads the columns the windows read (groups and values): silver columns or lookups
   * @param windowDependent the value features that read a window feature, directly or through another
   */
  record Result(Map<String, DataType> expressionTypes, Set<String> outcomeWindows, Optional<DataType> labelType,
                Set<String> windowReads, Set<String> windowDependent) {}

  /** @param schema the rows' schema the spec will be computed over, e.g. silver's */
  FeatureCheck(SparkSession spark, FeatureSpec spec, StructType schema, String source) {
    this.spark = spark;
    this.spec = spec;
    this.schema = schema;
    this.source = source;
  }

  Result check(Map<String, Dataset<Row>> tables) {
    Dataset<Row> frame = spark.createDataFrame(List.of(), schema);
    checkColumns(frame);
    Optional<DataType> labelType = spec.label().map(label -> analyse("the label", "pipeline.label.expr",
        "", label.expr(), () -> frame.selectExpr(label.expr())).schema().fields()[0].dataType());
    Set<String> labelColumns = spec.label()
        .map(label -> references(frame.selectExpr(label.expr()))).orElse(Set.of());

    Dataset<Row> withLookups = frame;
    for (Lookup lookup : spec.lookups()) {
      Dataset<Row> before = withLookups;
      ReferenceTable table = spec.tables().stream().filter(t -> t.name().equals(lookup.table())).findFirst().orElseThrow();
      withLookups = analyse("lookup '" + lookup.name() + "'", lookup.keyPath() + ".on", lookup.origin(), lookup.on(),
          () -> FeatureColumns.withLookup(before, lookup, table, tables.get(table.name())));
      forbidLabel(references(before.selectExpr(lookup.on())), labelColumns, "lookup '" + lookup.name() + "'",
          lookup.keyPath() + ".on", lookup.origin());
    }
    Dataset<Row> lookedUp = withLookups;
    Dataset<Row> base = spec.eventTime().map(t -> FeatureColumns.withEventMicros(lookedUp, t)).orElse(lookedUp);

    Map<String, DataType> expressionTypes = new LinkedHashMap<>();
    Set<String> outcomeWindows = new HashSet<>();
    Set<String> windowReads = new HashSet<>();
    Set<String> windowDependent = new HashSet<>();
    Dataset<Row> current = base;
    for (FeatureDefinition feature : spec.windows()) {
      WindowAggregate window = feature.window().orElseThrow();
      for (String group : window.partitionBy()) {
        Dataset<Row> grouped = analyse(feature, feature.keyPath() + ".window.partition-by", group,
            () -> base.select(WindowAggregate.group(group, List.of(base.columns()))));
        forbidLabel(references(grouped), labelColumns, "feature '" + feature.name() + "'",
            feature.keyPath() + ".window.partition-by", feature.origin());
        windowReads.addAll(references(grouped));
      }
      Dataset<Row> value = analyse(feature, feature.keyPath() + ".expr", feature.expr(),
          () -> base.selectExpr(feature.expr()));
      windowReads.addAll(references(value));
      windowDependent.add(feature.name());
      if (references(value).stream().anyMatch(labelColumns::contains)) {
        outcomeWindows.add(feature.name());
        Duration knownAfter = spec.label().orElseThrow().knownAfter();
        if (knownAfter.compareTo(window.lookback()) >= 0) {
          throw Errors.badConfigValue(feature.keyPath() + ".window.lookback", feature.origin(), "feature '"
              + feature.name() + "' reads the label's columns, so its window ends pipeline.label.known-after ("
              + knownAfter + ") before each row, which is at or beyond its lookback (" + window.lookback()
              + "): the window would always be empty. Make the lookback longer than known-after");
        }
      }
      DataType type = value.schema().fields()[0].dataType();
      if (window.function() != WindowAggregate.Function.COUNT) {
        requireNumber(feature, type, "a " + window.function() + " window needs a number or a boolean");
      }
      expressionTypes.put(feature.name(), type);
      Dataset<Row> before = current;
      current = analyse(feature, feature.keyPath() + ".expr", feature.expr(),
          () -> before.withColumn(feature.name(),
              FeatureColumns.window(feature, Duration.ZERO, type, List.of(before.columns()))));
    }
    for (FeatureDefinition feature : spec.features()) {
      if (feature.isWindow()) {
        continue;
      }
      Dataset<Row> before = current;
      Dataset<Row> value = analyse(feature, feature.keyPath() + ".expr", feature.expr(),
          () -> before.selectExpr(feature.expr()));
      forbidLabel(references(value), labelColumns, "feature '" + feature.name() + "'",
          feature.keyPath() + ".expr", feature.origin());
      if (references(value).stream().anyMatch(windowDependent::contains)) {
        windowDependent.add(feature.name());
      }
      DataType type = value.schema().fields()[0].dataType();
      if (!feature.categorical()) {
        requireNumber(feature, type, "Set " + feature.keyPath() + ".categorical = true to treat it as a category,"
            + " or make the expression numeric");
      }
      expressionTypes.put(feature.name(), type);
      current = analyse(feature, feature.keyPath() + ".default", feature.expr(),
          () -> before.withColumn(feature.name(), FeatureColumns.value(feature)));
    }
    windowDependent.removeAll(spec.windows().stream().map(FeatureDefinition::name).toList());
    windowReads.remove(WindowAggregate.EVENT_MICROS);
    return new Result(expressionTypes, outcomeWindows, labelType, windowReads, windowDependent);
  }

  private void checkColumns(Dataset<Row> frame) {
    List<String> columns = Arrays.asList(frame.columns());
    for (String key : spec.entityKey()) {
      if (!columns.contains(key)) {
        throw Errors.usage("Cannot build features: the entity key column '" + key + "' (pipeline.entity-key) is not in "
            + source + ", whose columns are " + columns + ". Fix pipeline.entity-key.");
      }
    }
    if (spec.eventTime().isEmpty()) {
      return;
    }
    String eventTime = spec.eventTime().get();
    if (!columns.contains(eventTime)) {
      throw Errors.usage("Cannot build features: the event-time column '" + eventTime
          + "' (pipeline.event-time) is not in " + source + ", whose columns are " + columns
          + ". Fix pipeline.event-time.");
    }
    DataType type = frame.schema().apply(eventTime).dataType();
    if (!(type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType)
        || type.equals(DataTypes.DateType))) {
      throw Errors.usage("Cannot build features: the event-time column '" + eventTime + "' of " + source
          + " is " + type.simpleString() + ", not a timestamp. Point pipeline.event-time at a timestamp column.");
    }
  }

  private static void requireNumber(FeatureDefinition feature, DataType type, String fix) {
    if (!(type instanceof NumericType) && !type.equals(DataTypes.BooleanType)) {
      throw Errors.badConfigValue(feature.keyPath() + ".expr", feature.origin(), "feature '" + feature.name()
          + "' = \"" + feature.expr() + "\" is " + type.simpleString() + ", not a number. " + fix);
    }
  }

  private void forbidLabel(Set<String> references, Set<String> labelColumns, String what, String key, String origin) {
    for (String column : references) {
      if (labelColumns.contains(column)) {
        throw Errors.badConfigValue(key, origin, what + " reads column '" + column + "', which the label ("
            + spec.label().orElseThrow().expr() + ") is computed from: it would leak the label into the inputs. "
            + "Use that column only as the expr of a window feature, which sees past rows only");
      }
    }
  }

  /** The top-level columns an analysed one-column projection reads. */
  static Set<String> references(Dataset<Row> projection) {
    org.apache.spark.sql.classic.Dataset<Row> classic = (org.apache.spark.sql.classic.Dataset<Row>) projection;
    Set<String> names = new HashSet<>();
    for (Attribute attribute : CollectionConverters.asJava(classic.queryExecution().analyzed().references().toSeq())) {
      names.add(attribute.name());
    }
    return names;
  }

  private <T> T analyse(FeatureDefinition feature, String key, String expr, Supplier<T> body) {
    return analyse("feature '" + feature.name() + "'", key, feature.origin(), expr, body);
  }

  private <T> T analyse(String what, String key, String origin, String expr, Supplier<T> body) {
    try {
      return body.get();
    } catch (Exception e) {
      // Scala throws the checked AnalysisException (parse errors included) without declaring it.
      if (e instanceof AnalysisException analysis) {
        throw cannotCompute(what, key, origin, expr, analysis);
      }
      throw e;
    }
  }

  private MlcycleException cannotCompute(String what, String key, String origin, String expr, AnalysisException e) {
    String condition = e.getCondition() == null ? "" : e.getCondition();
    Map<String, String> parameters = e.getMessageParameters();
    String why;
    if (condition.startsWith("UNRESOLVED_COLUMN") || condition.startsWith("UNRESOLVED_FIELD")) {
      String proposal = parameters.getOrDefault("proposal", "");
      why = "column " + parameters.getOrDefault("objectName", parameters.getOrDefault("fieldName", "?"))
          + " does not exist in " + source + " or the lookups"
          + (proposal.isBlank() ? "" : " (did you mean one of " + proposal + "?)");
    } else if (condition.startsWith("PARSE_SYNTAX_ERROR") || condition.startsWith("PARSE")) {
      why = "it does not parse as Spark SQL: " + firstLine(e.getMessage());
    } else {
      why = firstLine(e.getMessage());
    }
    return Errors.usage("Cannot compute " + what + " from " + key + " = \"" + expr + "\" (" + origin + "): " + why
        + ". Fix the expression; it is Spark SQL over the columns of " + source
        + ", the lookups and earlier features." + unquotedNames(expr));
  }

  /** The fix when the expression names a column that needs backticks without them, e.g. Unit Price ($). */
  private String unquotedNames(String expr) {
    List<String> unquoted = Arrays.stream(schema.fieldNames())
        .filter(name -> !IDENTIFIER.matcher(name).matches() && expr.contains(name)
            && !expr.contains(ColumnNames.quoted(name)))
        .map(ColumnNames::quoted).toList();
    return unquoted.isEmpty() ? "" : " In Spark SQL a column name with spaces or symbols is written in backticks: "
        + String.join(", ", unquoted) + ".";
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
    return line.replaceAll("\\s+SQLSTATE: \\w+$", "");
  }
}
