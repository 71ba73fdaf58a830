package io.mlcycle.dataset;

import com.typesafe.config.Config;
import io.mlcycle.config.ConfigElement;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.base.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The dataset a pipeline file declares: name, declared columns, entity key, event time and source. Read
 * once on the driver from {@code pipeline.*}; every problem names its key path.
 */
public record DatasetSpec(String name, List<DeclaredColumn> columns, List<String> entityKey,
                          Optional<String> eventTime, SourceSpec source) {
  /**
   * The row id validate adds to silver when {@code pipeline.entity-key} is empty, and the key every later stage
   * then uses: a hash of the batch and all declared columns of the row, so identical rows of a batch (which
   * validate removes as duplicates) would share it and no other two rows do.
   */
  public static final String ROW_ID = "_row_id";
  private static final Set<String> COLUMN_KEYS = Set.of("name", "type", "pii");

  public DatasetSpec {
    columns = List.copyOf(columns);
    entityKey = List.copyOf(entityKey);
  }

  /** @param source where the settings came from, for the message when no pipeline is named */
  public static DatasetSpec from(Config config, String source) {
    String name = name(config, source);
    List<DeclaredColumn> columns = columns(config);
    List<String> entityKey = config.getStringList("pipeline.entity-key");
    String eventTime = config.getString("pipeline.event-time");
    Map<String, DeclaredColumn> byName = byName(columns);
    for (String key : entityKey) {
      requireColumn(config, "pipeline.entity-key", key, byName);
    }
    if (!eventTime.isBlank()) {
      requireColumn(config, "pipeline.event-time", eventTime, byName);
      if (!byName.get(eventTime).isTimestamp()) {
        throw Errors.badConfigValue("pipeline.event-time", origin(config, "pipeline.event-time"),
            "column '" + eventTime + "' is declared " + byName.get(eventTime).type().simpleString()
                + ", not timestamp or date; declare it as a timestamp in pipeline.schema");
      }
    }
    return new DatasetSpec(name, columns, entityKey,
        eventTime.isBlank() ? Optional.empty() : Optional.of(eventTime), SourceSpec.from(config));
  }

  /** {@code pipeline.name}, checked: it names folders and tables. */
  public static String name(Config config, String source) {
    String name = config.getString("pipeline.name");
    if (name.isBlank()) {
      throw Errors.noPipeline(source);
    }
    if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
      throw Errors.badConfigValue("pipeline.name", origin(config, "pipeline.name"),
          "'" + name + "' names folders and tables: use letters, digits, '_', '-' and '.'");
    }
    return name;
  }

  private static List<DeclaredColumn> columns(Config config) {
    List<DeclaredColumn> columns = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (ConfigElement element : ConfigElement.list(config, "pipeline.schema")) {
      element.checkKeys(COLUMN_KEYS);
      String name = element.string("name");
      if (name.isBlank() || name.startsWith("_")) {
        throw element.invalid("name", "'" + name + "' is not a column name (names starting with '_' are mlcycle's)");
      }
      if (!seen.add(name.toLowerCase())) {
        throw element.invalid("name", "column '" + name + "' is declared twice");
      }
      columns.add(new DeclaredColumn(name, type(element), element.bool("pii", false)));
    }
    if (columns.isEmpty()) {
      throw Errors.badConfigValue("pipeline.schema", origin(config, "pipeline.schema"),
          "no columns are declared; list them as [{ name = id, type = string }, ...]");
    }
    return columns;
  }

  private static DataType type(ConfigElement element) {
    String type = element.string("type");
    try {
      return DataType.fromDDL(type);
    } catch (RuntimeException e) {
      throw element.invalid("type", "'" + type + "' is not a Spark SQL type; use string, int, bigint, double, "
          + "boolean, date, timestamp or decimal(p,s)");
    }
  }

  private static void requireColumn(Config config, String key, String column, Map<String, DeclaredColumn> byName) {
    if (!byName.containsKey(column)) {
      throw Errors.badConfigValue(key, origin(config, key), "column '" + column
          + "' is not declared in pipeline.schema; the columns are " + byName.keySet());
    }
  }

  static String origin(Config config, String key) {
    return config.getValue(key).origin().description();
  }

  private static Map<String, DeclaredColumn> byName(List<DeclaredColumn> columns) {
    Map<String, DeclaredColumn> map = new LinkedHashMap<>();
    columns.forEach(c -> map.put(c.name(), c));
    return map;
  }

  public Optional<DeclaredColumn> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public List<String> columnNames() {
    return columns.stream().map(DeclaredColumn::name).toList();
  }

  /** The declared columns as a Spark schema, all nullable: absence is the rules' business, not the reader's. */
  public StructType sparkSchema() {
    return new StructType(columns.stream()
        .map(c -> new StructField(c.name(), c.type(), true, Metadata.empty()))
        .toArray(StructField[]::new));
  }

  /**
   * The columns that identify a row from silver on (features, training folds, predictions, monitoring joins):
   * {@code pipeline.entity-key}, or {@value #ROW_ID} when it is empty.
   */
  public static List<String> rowKey(Config config) {
    List<String> declared = config.getStringList("pipeline.entity-key");
    return declared.isEmpty() ? List.of(ROW_ID) : List.copyOf(declared);
  }

  /** {@link #rowKey(Config)} of this dataset. */
  public List<String> rowKey() {
    return entityKey.isEmpty() ? List.of(ROW_ID) : entityKey;
  }

  /** The deduplication key: entity key plus event time; all declared columns when no key is declared. */
  public List<String> dedupKey() {
    if (entityKey.isEmpty()) {
      return columnNames();
    }
    return eventTime.map(t -> ColumnNames.keyAndEventTime(entityKey, t)).orElse(entityKey);
  }
}
