package io.mlcycle.quality;

import com.typesafe.config.Config;
import io.mlcycle.config.ConfigElement;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The rules of {@code pipeline.quality.rules}, read and checked once per run: each element's keys, its
 * columns (declared ones only) and its severity, every error naming the element's key path. Reference
 * files for allowed values are read when the definition resolves, once each.
 */
public record RuleSet(List<RowRule> rowRules, List<BatchRule> batchRules) {
  private static final String KEY = "pipeline.quality.rules";
  private static final Set<String> COMMON = Set.of("type", "name", "severity");

  public RuleSet {
    rowRules = List.copyOf(rowRules);
    batchRules = List.copyOf(batchRules);
  }

  /**
   * The rules as configured, checked whole before Spark starts. Those that need Spark to check (a SQL
   * expression against the declared schema, an allowed-values reference file) resolve with {@link #resolve}.
   */
  public record Definition(List<Deferred> rowRules, List<BatchRule> batchRules) {
    public Definition {
      rowRules = List.copyOf(rowRules);
      batchRules = List.copyOf(batchRules);
    }

    /** The rules of this run: reference files read once each, SQL expressions analysed. */
    public RuleSet resolve(SparkSession spark) {
      Map<String, List<String>> references = new HashMap<>();
      return new RuleSet(rowRules.stream().map(r -> r.resolve(spark, references)).toList(), batchRules);
    }
  }

  /** A row rule that Spark completes; {@code references} caches reference files by path and column. */
  public interface Deferred {
    RowRule resolve(SparkSession spark, Map<String, List<String>> references);
  }

  /** Parses {@code pipeline.quality.rules} of a validated configuration. */
  public static Definition parse(Config config, DatasetSpec spec) {
    List<Deferred> rows = new ArrayList<>();
    List<BatchRule> batch = new ArrayList<>();
    for (ConfigElement rule : ConfigElement.list(config, KEY)) {
      String type = rule.string("type");
      Severity severity = severity(rule);
      switch (type) {
        case "not-null" -> {
          rule.checkKeys(keys("columns"));
          columns(rule, spec).forEach(c -> rows.add(ready(new NotNullRule(c, severity))));
        }
        case "range" -> {
          rule.checkKeys(keys("column", "min", "max"));
          String column = column(rule, spec, "column");
          if (!rule.has("min") && !rule.has("max")) {
            throw rule.invalid("min", "a range rule needs min, max or both");
          }
          rows.add(ready(new RangeRule(name(rule, "range(" + column + ")"), column, rule.optionalNumber("min"),
              rule.optionalNumber("max"), severity)));
        }
        case "allowed" -> {
          rule.checkKeys(keys("column", "values", "reference"));
          String column = column(rule, spec, "column");
          rows.add(allowed(rule, column, severity));
        }
        case "regex" -> {
          rule.checkKeys(keys("column", "pattern"));
          String column = column(rule, spec, "column");
          String pattern = rule.string("pattern");
          try {
            java.util.regex.Pattern.compile(pattern);
          } catch (java.util.regex.PatternSyntaxException e) {
            throw rule.invalid("pattern", "'" + pattern + "' is not a regular expression: " + e.getDescription());
          }
          rows.add(ready(new RegexRule(name(rule, "regex(" + column + ")"), column, pattern, severity)));
        }
        case "unique" -> {
          rule.checkKeys(keys("columns"));
          List<String> columns = columns(rule, spec);
          rows.add(ready(new UniqueRule(name(rule, "unique(" + String.join(",", columns) + ")"), columns, severity)));
        }
        case "sql" -> {
          rule.checkKeys(keys("expression"));
          String expression = rule.string("expression");
          String name = name(rule, "sql(" + expression + ")");
          rows.add((spark, references) -> new SqlRule(name, checkedSql(rule, expression, spec, spark), severity));
        }
        case "max-null-fraction" -> {
          rule.checkKeys(keys("column", "max"));
          String column = column(rule, spec, "column");
          batch.add(new MaxNullFractionRule(name(rule, "max-null-fraction(" + column + ")"), column,
              rule.number("max"), batchSeverity(rule, severity)));
        }
        case "min-row-count" -> {
          rule.checkKeys(keys("min"));
          batch.add(new MinRowCountRule(name(rule, "min-row-count"), (long) rule.number("min"),
              batchSeverity(rule, severity)));
        }
        case "freshness" -> {
          rule.checkKeys(keys("max-age"));
          String eventTime = spec.eventTime().orElseThrow(() -> rule.invalid("type",
              "a freshness rule measures the newest event time, but pipeline.event-time is empty. Set it to a "
                  + "timestamp or date column, or remove this rule"));
          batch.add(new FreshnessRule(name(rule, "freshness(" + eventTime + ")"), eventTime,
              rule.duration("max-age"), batchSeverity(rule, severity)));
        }
        default -> throw rule.invalid("type", "'" + type + "' is not a rule type; use not-null, range, allowed, "
            + "regex, unique, sql, max-null-fraction, min-row-count or freshness");
      }
    }
    spec.columns().stream().filter(DeclaredColumn::isFloating).forEach(c -> rows.add(ready(new FiniteRule(c.name()))));
    return new Definition(rows, batch);
  }

  private static Deferred ready(RowRule rule) {
    return (spark, references) -> rule;
  }

  private static Set<String> keys(String... specific) {
    Set<String> keys = new java.util.HashSet<>(COMMON);
    keys.addAll(List.of(specific));
    return keys;
  }

  private static Severity severity(ConfigElement rule) {
    String value = rule.optionalString("severity").orElse("error");
    try {
      return Severity.valueOf(value.strip().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw rule.invalid("severity", "'" + value + "' is not a severity; use error, warn or drop");
    }
  }

  private static Severity batchSeverity(ConfigElement rule, Severity severity) {
    if (severity == Severity.DROP) {
      throw rule.invalid("severity", "drop applies to rows, and this rule judges the whole batch; use error or warn");
    }
    return severity;
  }

  private static String name(ConfigElement rule, String fallback) {
    return rule.optionalString("name").orElse(fallback);
  }

  private static String column(ConfigElement rule, DatasetSpec spec, String key) {
    String column = rule.string(key);
    if (spec.column(column).isEmpty()) {
      throw rule.invalid(key, "column '" + column + "' is not declared in pipeline.schema; the columns are "
          + spec.columnNames());
    }
    return column;
  }

  private static List<String> columns(ConfigElement rule, DatasetSpec spec) {
    List<String> columns = rule.strings("columns");
    for (String column : columns) {
      if (spec.column(column).isEmpty()) {
        throw rule.invalid("columns", "column '" + column + "' is not declared in pipeline.schema; the columns are "
            + spec.columnNames());
      }
    }
    return columns;
  }

  private static String checkedSql(ConfigElement rule, String expression, DatasetSpec spec, SparkSession spark) {
    try {
      spark.createDataFrame(List.of(), spec.sparkSchema()).select(org.apache.spark.sql.functions.expr(expression))
          .schema();
    } catch (Exception e) {
      // AnalysisException is checked in Java's eyes but thrown undeclared by Scala: catch them all.
      throw rule.invalid("expression", "'" + expression + "' is not a Spark SQL expression over the declared columns: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    return expression;
  }

  private static Deferred allowed(ConfigElement rule, String column, Severity severity) {
    String name = name(rule, "allowed(" + column + ")");
    if (rule.has("values")) {
      return ready(new AllowedValuesRule(name, column, rule.strings("values"), "the configured list", severity));
    }
    if (!rule.has("reference")) {
      throw rule.invalid("values", "an allowed rule needs values = [...] or reference { path, column }");
    }
    ConfigElement reference = rule.child("reference").orElseThrow().checkKeys(Set.of("path", "column"));
    String path = reference.string("path");
    String refColumn = reference.string("column");
    return (spark, references) -> new AllowedValuesRule(name, column, references.computeIfAbsent(
        path + "#" + refColumn, k -> referenceValues(spark, reference, path, refColumn)),
        path + " column " + refColumn, severity);
  }

  private static List<String> referenceValues(SparkSession spark, ConfigElement reference, String path,
                                              String column) {
    String file = InputFiles.qualifyPath(path);
    org.apache.hadoop.fs.Path hadoopPath = new org.apache.hadoop.fs.Path(file);
    try {
      if (!hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(hadoopPath)) {
        throw reference.invalid("path", "reference file " + path + " does not exist; give a CSV file with a header");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot check reference file " + path, e);
    }
    var frame = spark.read().option("header", "true").csv(file);
    if (!List.of(frame.columns()).contains(column)) {
      throw reference.invalid("column", "reference file " + path + " has no column '" + column + "'; its columns are "
          + List.of(frame.columns()));
    }
    // A reference file is small: its values are collected and made distinct here, not in a shuffle.
    List<String> values = frame.select(ColumnNames.column(column)).where(ColumnNames.column(column).isNotNull())
        .collectAsList().stream().map(r -> r.getString(0).strip()).distinct().toList();
    return Optional.of(values).filter(v -> !v.isEmpty()).orElseThrow(() -> reference.invalid("column",
        "reference file " + path + " has no values in column '" + column + "'"));
  }
}
