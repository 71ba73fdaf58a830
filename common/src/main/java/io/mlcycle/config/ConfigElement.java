package io.mlcycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.mlcycle.job.Errors;
import io.mlcycle.job.MlcycleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One object inside a config list (a rule, a column), read with typed getters whose errors name the full
 * key path, e.g. {@code pipeline.quality.rules[2].severity}. reference.conf checks lists only as a whole,
 * so this is where their elements are checked: unknown keys, missing keys and wrong types.
 */
public final class ConfigElement {
  private final String path;
  private final Config config;
  private final String origin;

  private ConfigElement(String path, Config config, String origin) {
    this.path = path;
    this.config = config;
    this.origin = origin;
  }

  /** The elements of the list at {@code listPath}; each must be an object. */
  public static List<ConfigElement> list(Config root, String listPath) {
    if (!root.hasPath(listPath)) {
      return List.of();
    }
    ConfigList list = root.getList(listPath);
    List<ConfigElement> elements = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      ConfigValue value = list.get(i);
      String path = listPath + "[" + i + "]";
      if (!(value instanceof ConfigObject object)) {
        throw Errors.badConfigValue(path, value.origin().description(),
            "expected an object such as { name = ..., ... } but got " + value.valueType().name().toLowerCase());
      }
      elements.add(new ConfigElement(path, object.toConfig(), value.origin().description()));
    }
    return elements;
  }

  public String path() {
    return path;
  }

  public String origin() {
    return origin;
  }

  public String key(String key) {
    return path + "." + key;
  }

  /** Fails on a key this element does not know, naming it and the keys it does know. */
  public ConfigElement allowOnly(Set<String> keys) {
    for (String key : config.root().keySet()) {
      if (!keys.contains(key)) {
        throw Errors.badConfigValue(key(key), origin, "it is not a known key here; the keys are "
            + keys.stream().sorted().toList());
      }
    }
    return this;
  }

  public boolean has(String key) {
    return config.hasPath(quote(key));
  }

  public String string(String key) {
    require(key);
    return get(key, () -> config.getString(quote(key)), "a string");
  }

  public Optional<String> optionalString(String key) {
    return has(key) ? Optional.of(string(key)) : Optional.empty();
  }

  public double number(String key) {
    require(key);
    return get(key, () -> config.getDouble(quote(key)), "a number");
  }

  public Optional<Double> optionalNumber(String key) {
    return has(key) ? Optional.of(number(key)) : Optional.empty();
  }

  public boolean bool(String key, boolean fallback) {
    return has(key) ? get(key, () -> config.getBoolean(quote(key)), "a boolean (true or false)") : fallback;
  }

  public List<String> strings(String key) {
    require(key);
    List<String> values = get(key, () -> config.getStringList(quote(key)), "a list of strings");
    if (values.isEmpty()) {
      throw bad(key, "the list is empty");
    }
    return values;
  }

  public java.time.Duration duration(String key) {
    require(key);
    return get(key, () -> config.getDuration(quote(key)), "a duration such as 30d or 12h");
  }

  public ConfigElement child(String key) {
    require(key);
    if (config.getValue(quote(key)).valueType() != ConfigValueType.OBJECT) {
      throw bad(key, "expected an object");
    }
    return new ConfigElement(key(key), config.getConfig(quote(key)), origin);
  }

  /** A user-facing error about one key of this element. */
  public MlcycleException bad(String key, String why) {
    return Errors.badConfigValue(key(key), origin, why);
  }

  private void require(String key) {
    if (!has(key)) {
      throw Errors.badConfigValue(key(key), origin, "it is missing; add it");
    }
  }

  private <T> T get(String key, java.util.function.Supplier<T> getter, String expected) {
    try {
      return getter.get();
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw bad(key, "expected " + expected + " but got " + config.getValue(quote(key)).render());
    }
  }

  private static String quote(String key) {
    return com.typesafe.config.ConfigUtil.quoteString(key);
  }
}
