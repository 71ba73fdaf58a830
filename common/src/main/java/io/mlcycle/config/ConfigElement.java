package io.mlcycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.mlcycle.base.Errors;
import io.mlcycle.base.MlcycleException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object inside a list or an open map of the configuration (a feature, a lookup, a reference table),
 * which {@code reference.conf} cannot declare key by key. Its getters check each key and name its full
 * path, e.g. {@code pipeline.features[3].expr}, and the file and line it came from.
 *
 * @param path the key path of the object, e.g. {@code pipeline.features[3]}
 * @param config the object's own keys
 * @param origin where the object was written
 */
public record ConfigElement(String path, Config config, String origin) {
  /** The element's own keys, for an open map such as {@code columns { state = string }}. */
  public Set<String> keys() {
    return config.root().keySet();
  }

  /** The element's values as plain Java values, by key, for an open map of numbers or strings. */
  public Map<String, Object> values() {
    return config.root().unwrapped();
  }


  /** The objects of the list at {@code key} (none when absent); an element that is not an object fails, naming it. */
  public static List<ConfigElement> list(Config root, String key) {
    List<ConfigElement> elements = new ArrayList<>();
    if (!root.hasPath(key)) {
      return elements;
    }
    int index = 0;
    for (ConfigValue value : root.getList(key)) {
      String path = key + "[" + index++ + "]";
      if (!(value instanceof ConfigObject object)) {
        throw Errors.badConfigValue(path, value.origin().description(),
            "expected an object { name = ..., ... } but got " + SecretRedaction.shown(path, value.render()));
      }
      elements.add(new ConfigElement(path, object.toConfig(), value.origin().description()));
    }
    return elements;
  }

  /** The objects of the open map at {@code key}, by name. */
  public static List<ConfigElement> map(Config root, String key) {
    List<ConfigElement> elements = new ArrayList<>();
    ConfigObject map = root.getObject(key);
    for (String name : new TreeSet<>(map.keySet())) {
      ConfigValue value = map.get(name);
      String path = key + "." + name;
      if (!(value instanceof ConfigObject object)) {
        throw Errors.badConfigValue(path, value.origin().description(),
            "expected an object { ... } but got " + SecretRedaction.shown(path, value.render()));
      }
      elements.add(new ConfigElement(path, object.toConfig(), value.origin().description()));
    }
    return elements;
  }

  /** The last segment of the path: the name of an open-map entry. */
  public String name() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** Fails on a key outside {@code allowed}, suggesting the nearest allowed key. */
  public ConfigElement checkKeys(Set<String> allowed) {
    for (String key : new TreeSet<>(config.root().keySet())) {
      if (!allowed.contains(key)) {
        String nearest = allowed.stream()
            .min((a, b) -> ConfigValidator.editDistance(key, a) - ConfigValidator.editDistance(key, b))
            .filter(best -> ConfigValidator.editDistance(key, best) <= 2)
            .map(best -> " Did you mean '" + path + "." + best + "'?")
            .orElse(" The keys are: " + String.join(", ", new TreeSet<>(allowed)) + ".");
        throw Errors.usage("Cannot use config key '" + path + "." + key + "' (" + origin(key)
            + "): it is not a known key here." + nearest);
      }
    }
    return this;
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  public String string(String key) {
    if (!config.hasPath(key) || config.getString(key).isBlank()) {
      throw missing(key, "a string");
    }
    return typed(key, "a string", () -> config.getString(key));
  }

  public Optional<String> optionalString(String key) {
    return config.hasPath(key) ? Optional.of(string(key)) : Optional.empty();
  }

  public double number(String key) {
    if (!config.hasPath(key)) {
      throw missing(key, "a number");
    }
    return typed(key, "a number", () -> config.getDouble(key));
  }

  public Optional<Double> optionalNumber(String key) {
    return config.hasPath(key) ? Optional.of(number(key)) : Optional.empty();
  }

  public boolean bool(String key, boolean otherwise) {
    return config.hasPath(key) ? typed(key, "a boolean (true or false)", () -> config.getBoolean(key)) : otherwise;
  }

  public List<String> strings(String key) {
    if (!config.hasPath(key)) {
      throw missing(key, "a list of strings");
    }
    return typed(key, "a list of strings", () -> config.getStringList(key));
  }

  public Optional<ConfigElement> child(String key) {
    if (!config.hasPath(key)) {
      return Optional.empty();
    }
    return Optional.of(typed(key, "an object { ... }",
        () -> new ConfigElement(path + "." + key, config.getConfig(key), origin(key))));
  }

  /** A HOCON duration such as 7d or 36h; a bare number would be milliseconds, so it must carry a unit. */
  public Duration duration(String key) {
    if (!config.hasPath(key)) {
      throw missing(key, "a duration such as 7d or 36h");
    }
    return typed(key, "a duration such as 7d or 36h", () -> config.getDuration(key));
  }

  /** The raw value at {@code key}, for values of any type (a default). */
  public Optional<Object> value(String key) {
    return config.hasPath(key) ? Optional.of(config.getValue(key).unwrapped()) : Optional.empty();
  }

  public String keyPath(String key) {
    return path + "." + key;
  }

  public String origin(String key) {
    return config.hasPath(key) ? config.getValue(key).origin().description() : origin;
  }

  public MlcycleException invalid(String key, String why) {
    return Errors.badConfigValue(keyPath(key), origin(key), why);
  }

  private MlcycleException missing(String key, String expected) {
    return Errors.usage("Cannot use config object '" + path + "' (" + origin + "): the key '" + key
        + "' is missing. Set " + keyPath(key) + " to " + expected + ".");
  }

  private <T> T typed(String key, String expected, java.util.function.Supplier<T> getter) {
    try {
      return getter.get();
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw Errors.wrongConfigType(keyPath(key), origin(key), expected,
          SecretRedaction.shown(keyPath(key), config.getValue(key).render()));
    }
  }
}
