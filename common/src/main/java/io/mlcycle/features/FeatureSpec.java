package io.mlcycle.features;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.mlcycle.config.ConfigElement;
import io.mlcycle.base.Errors;
import io.mlcycle.dataset.DatasetSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The feature definitions of one pipeline, parsed from its config ({@code pipeline.*}) and checked
 * element by element: every problem names its key path, file and line. Checking the expressions
 * against the data's schema is {@link FeatureCheck}'s job.
 *
 * @param dataset the pipeline name: the feature table is {@code features/<dataset>}
 * @param definition the config the spec was parsed from, as canonical JSON: what the hash covers and
 *     what a feature version stores, so the spec can be rebuilt from the version alone
 */
public record FeatureSpec(String dataset, List<String> entityKey, Optional<String> eventTime, Optional<Label> label,
                          List<FeatureDefinition> features, List<Lookup> lookups, List<ReferenceTable> tables,
                          Categories categories, Profile profile, String definition) {
  /** The config keys a feature spec is made of; the hash covers all but reference-profile. */
  static final List<String> DEFINING_KEYS = List.of(
      "name", "entity-key", "event-time", "label", "features", "lookups", "reference-tables", "categories");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Set<String> FEATURE_KEYS = Set.of(
      "name", "expr", "categorical", "default", "window", "monitor");
  private static final Set<String> WINDOW_KEYS = Set.of("partition-by", "lookback", "function");
  private static final Set<String> LOOKUP_KEYS = Set.of("name", "table", "on");
  private static final Set<String> TABLE_KEYS = Set.of("path", "format", "key", "columns");

  public FeatureSpec {
    entityKey = List.copyOf(entityKey);
    features = List.copyOf(features);
    lookups = List.copyOf(lookups);
    tables = List.copyOf(tables);
  }

  /** How categorical features are folded. */
  public record Categories(double minShare, int maxCount, String other) {}

  /** How the reference statistics of a feature version are binned. */
  public record Profile(int bins, int topK) {}

  /** Parses {@code pipeline.*} of a resolved, validated configuration. */
  public static FeatureSpec from(Config config) {
    Config pipeline = config.getConfig("pipeline");
    String dataset = required(config, "pipeline.name", "the dataset name, e.g. flights");
    List<String> entityKey = DatasetSpec.rowKey(config);
    String time = config.getString("pipeline.event-time");
    Optional<String> eventTime = time.isBlank() ? Optional.empty() : Optional.of(time);
    Map<String, ReferenceTable> tables = tables(config);
    List<Lookup> lookups = lookups(config, tables);
    Optional<Label> label = label(config);
    List<FeatureDefinition> features = features(config);
    if (eventTime.isEmpty()) {
      refuseWindows(features, origin(config, "pipeline.event-time"));
    }
    checkNames(features, lookups, entityKey, eventTime, label);
    Categories categories = new Categories(pipeline.getDouble("categories.min-share"),
        pipeline.getInt("categories.max-count"), pipeline.getString("categories.other"));
    Profile profile = new Profile(pipeline.getInt("reference-profile.bins"), pipeline.getInt("reference-profile.top-k"));
    checkSettings(config, categories, profile);
    return new FeatureSpec(dataset, entityKey, eventTime, label, features, lookups,
        List.copyOf(tables.values()), categories, profile, canonical(config));
  }

  /** Rebuilds the spec a feature version stored ({@link #definition()}), with today's defaults behind it. */
  public static FeatureSpec fromDefinition(String definition, Config defaults) {
    return from(ConfigFactory.parseString(definition).withFallback(defaults).resolve());
  }

  public List<FeatureDefinition> windows() {
    return features.stream().filter(FeatureDefinition::isWindow).toList();
  }

  /** The longest look-back of any window: how much earlier history a batch's features need. */
  public Duration maxLookback() {
    return windows().stream().map(f -> f.window().orElseThrow().lookback())
        .max(Duration::compareTo).orElse(Duration.ZERO);
  }

  private static String canonical(Config config) {
    Config defining = ConfigFactory.empty();
    for (String key : DEFINING_KEYS) {
      defining = defining.withValue("pipeline." + key, key.equals("features")
          ? withoutMonitoring(config.getList("pipeline.features")) : config.getValue("pipeline." + key));
    }
    return defining.root().render(ConfigRenderOptions.concise());
  }

  /** The features without their {@code monitor} flag, which says how drift is judged, not what a feature is. */
  private static ConfigValue withoutMonitoring(ConfigList features) {
    List<ConfigValue> stripped = new ArrayList<>();
    for (ConfigValue feature : features) {
      stripped.add(feature instanceof ConfigObject object ? object.withoutKey("monitor") : feature);
    }
    return ConfigValueFactory.fromIterable(stripped);
  }

  private static String required(Config config, String key, String what) {
    String value = config.getString(key);
    if (value.isBlank()) {
      throw Errors.badConfigValue(key, origin(config, key), "it is empty. Set it to " + what);
    }
    return value;
  }

  private static String origin(Config config, String key) {
    return config.getValue(key).origin().description();
  }

  private static Optional<Label> label(Config config) {
    String expr = config.getString("pipeline.label.expr");
    if (expr.isBlank()) {
      return Optional.empty();
    }
    String column = config.getString("pipeline.label.column");
    identifier(column, "pipeline.label.column", origin(config, "pipeline.label.column"));
    Duration knownAfter;
    try {
      knownAfter = config.getDuration("pipeline.label.known-after");
    } catch (com.typesafe.config.ConfigException.BadValue e) {
      throw Errors.badConfigValue("pipeline.label.known-after", origin(config, "pipeline.label.known-after"),
          "it is not a duration. Write e.g. 0s, 15m or 2h");
    }
    if (knownAfter.isNegative()) {
      throw Errors.badConfigValue("pipeline.label.known-after", origin(config, "pipeline.label.known-after"),
          "it is negative. Set how long after the event time the outcome is known, e.g. 2h, or 0s");
    }
    return Optional.of(new Label(column, expr, knownAfter));
  }

  private static List<FeatureDefinition> features(Config config) {
    List<FeatureDefinition> features = new ArrayList<>();
    for (ConfigElement element : ConfigElement.list(config, "pipeline.features")) {
      element.checkKeys(FEATURE_KEYS);
      String name = element.string("name");
      identifier(name, element.keyPath("name"), element.origin("name"));
      Optional<WindowAggregate> window = element.child("window").map(FeatureSpec::window);
      features.add(new FeatureDefinition(name, element.string("expr"), element.bool("categorical", false),
          element.value("default"), window, element.bool("monitor", true), element.path(), element.origin()));
    }
    if (features.isEmpty()) {
      throw Errors.badConfigValue("pipeline.features", origin(config, "pipeline.features"),
          "no features are declared. Add at least one, e.g. { name = hour, expr = \"hour(date)\" }");
    }
    return features;
  }

  private static WindowAggregate window(ConfigElement window) {
    window.checkKeys(WINDOW_KEYS);
    List<String> partitionBy = window.strings("partition-by");
    if (partitionBy.isEmpty()) {
      throw window.invalid("partition-by", "it is empty. Name the group the window runs over, e.g. [\"origin\"]");
    }
    Duration lookback = window.duration("lookback");
    if (lookback.compareTo(Duration.ofSeconds(1)) < 0) {
      throw window.invalid("lookback", "it is " + (lookback.isNegative() || lookback.isZero() ? "not positive" : lookback
          + ", under one second (a number without a unit means milliseconds)")
          + ". Set a positive duration with a unit, e.g. 7d or 36h");
    }
    String function = window.optionalString("function").orElse("count");
    try {
      return new WindowAggregate(partitionBy, lookback, WindowAggregate.Function.parse(function));
    } catch (IllegalArgumentException e) {
      throw window.invalid("function", "'" + function + "' is not an aggregate here. Use one of count, sum, avg, min, max");
    }
  }

  private static Map<String, ReferenceTable> tables(Config config) {
    Map<String, ReferenceTable> tables = new LinkedHashMap<>();
    for (ConfigElement element : ConfigElement.map(config, "pipeline.reference-tables")) {
      element.checkKeys(TABLE_KEYS);
      String format = element.optionalString("format").orElse("csv");
      if (!ReferenceTable.FORMATS.contains(format)) {
        throw element.invalid("format", "'" + format + "' is not supported. Use csv, parquet or delta");
      }
      Map<String, String> columns = new LinkedHashMap<>();
      ConfigElement declared = element.child("columns").orElseThrow(() -> element.invalid("columns",
          "it is missing. Declare the columns to keep with their types, e.g. { state = string, latitude = double }"));
      for (String column : declared.keys()) {
        columns.put(column, declared.string(column));
      }
      tables.put(element.name(), new ReferenceTable(element.name(), element.string("path"), format,
          element.string("key"), columns, element.path(), element.origin()));
    }
    return tables;
  }

  private static List<Lookup> lookups(Config config, Map<String, ReferenceTable> tables) {
    List<Lookup> lookups = new ArrayList<>();
    for (ConfigElement element : ConfigElement.list(config, "pipeline.lookups")) {
      element.checkKeys(LOOKUP_KEYS);
      String name = element.string("name");
      identifier(name, element.keyPath("name"), element.origin("name"));
      String table = element.string("table");
      if (!tables.containsKey(table)) {
        throw element.invalid("table", "there is no reference table '" + table + "'"
            + (tables.isEmpty() ? "" : " (there are: " + String.join(", ", tables.keySet()) + ")")
            + ". Declare it under pipeline.reference-tables." + table);
      }
      lookups.add(new Lookup(name, table, element.string("on"), element.path(), element.origin()));
    }
    return lookups;
  }

  /** A window aggregates the rows before each row's event time: without one there is no "before". */
  private static void refuseWindows(List<FeatureDefinition> features, String eventTimeOrigin) {
    for (FeatureDefinition feature : features) {
      if (feature.isWindow()) {
        throw Errors.badConfigValue(feature.keyPath(), feature.origin(), "feature '" + feature.name()
            + "' is a window over past rows, but pipeline.event-time is empty (" + eventTimeOrigin + "), so no row is"
            + " before another. Set pipeline.event-time to a timestamp or date column, or remove the window of "
            + feature.keyPath());
      }
    }
  }

  private static void checkNames(List<FeatureDefinition> features, List<Lookup> lookups, List<String> entityKey,
                                 Optional<String> eventTime, Optional<Label> label) {
    // Spark resolves column names case-insensitively, so 'region' and 'Region' are one column to it.
    Set<String> taken = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    taken.addAll(entityKey);
    eventTime.ifPresent(taken::add);
    label.ifPresent(l -> taken.add(l.column()));
    for (Lookup lookup : lookups) {
      if (!taken.add(lookup.name())) {
        throw Errors.badConfigValue(lookup.keyPath() + ".name", lookup.origin(),
            "'" + lookup.name() + "' is already the name of a key, event-time, label or another lookup. Rename it");
      }
    }
    for (FeatureDefinition feature : features) {
      if (!taken.add(feature.name())) {
        throw Errors.badConfigValue(feature.keyPath() + ".name", feature.origin(),
            "'" + feature.name() + "' is already the name of a key, event-time, label, lookup or earlier feature "
                + "(names are compared ignoring case, as Spark does). Rename it");
      }
    }
  }

  private static void identifier(String name, String key, String origin) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw Errors.badConfigValue(key, origin, "'" + name + "' is not a column name. Use letters, digits and "
          + "underscores, starting with a letter");
    }
  }

  private static void checkSettings(Config config, Categories categories, Profile profile) {
    if (categories.minShare() < 0 || categories.minShare() >= 1) {
      throw Errors.badConfigValue("pipeline.categories.min-share", origin(config, "pipeline.categories.min-share"),
          "it must be at least 0 and below 1. Set a share such as 0.001");
    }
    if (categories.maxCount() < 1) {
      throw Errors.badConfigValue("pipeline.categories.max-count", origin(config, "pipeline.categories.max-count"),
          "it must be at least 1. Set e.g. 100");
    }
    if (profile.bins() < 2 || profile.topK() < 1) {
      throw Errors.badConfigValue("pipeline.reference-profile", origin(config, "pipeline.reference-profile"),
          "bins must be at least 2 and top-k at least 1. Set e.g. bins = 10, top-k = 20");
    }
  }
}
