package io.mlcycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.mlcycle.base.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a configuration against {@code reference.conf}: every key a user writes must be declared there
 * (or sit inside an open map, declared as an empty object such as {@code mlcycle.spark.conf {}}), and
 * every value must have the type of its default. Lists are checked as a whole; the code that reads a
 * list of objects (rules, features) checks its elements and names the key path.
 */
final class ConfigValidator {
  private final Config reference;
  /** Every declared path, leaf or object, with the type of its default. */
  private final Map<String, ConfigValueType> declared = new TreeMap<>();

  ConfigValidator(Config reference) {
    this.reference = reference;
    collect(reference.root(), List.of());
  }

  private void collect(ConfigObject object, List<String> prefix) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      List<String> path = append(prefix, entry.getKey());
      declared.put(ConfigUtil.joinPath(path), entry.getValue().valueType());
      if (entry.getValue() instanceof ConfigObject child) {
        collect(child, path);
      }
    }
  }

  /** Fails on the first key of {@code layer} that reference.conf does not declare. */
  void checkKnownKeys(Config layer) {
    for (Map.Entry<String, ConfigValue> entry : layer.entrySet()) {
      String key = entry.getKey();
      if (!isDeclared(ConfigUtil.splitPath(key))) {
        throw Errors.unknownConfigKey(key, entry.getValue().origin().description(), closest(key));
      }
    }
  }

  private boolean isDeclared(List<String> path) {
    for (int i = 1; i <= path.size(); i++) {
      String prefix = ConfigUtil.joinPath(path.subList(0, i));
      ConfigValueType type = declared.get(prefix);
      if (type == null) {
        return false;
      }
      if (i < path.size() && isOpenMap(prefix, type)) {
        return true;
      }
      if (i < path.size() && type != ConfigValueType.OBJECT) {
        return false;
      }
    }
    return true;
  }

  private boolean isOpenMap(String path, ConfigValueType type) {
    return type == ConfigValueType.OBJECT && reference.getObject(path).isEmpty();
  }

  /** Fails on the first value whose type differs from its default's. */
  void checkTypes(Config merged) {
    for (Map.Entry<String, ConfigValueType> entry : declared.entrySet()) {
      String path = entry.getKey();
      if (!merged.hasPathOrNull(path)) {
        continue;
      }
      ConfigValue value = merged.getValue(path);
      try {
        switch (entry.getValue()) {
          case NUMBER -> merged.getNumber(path);
          case BOOLEAN -> merged.getBoolean(path);
          case STRING -> merged.getString(path);
          case LIST -> merged.getList(path);
          case OBJECT -> merged.getObject(path);
          default -> { }
        }
      } catch (ConfigException.WrongType | ConfigException.BadValue e) {
        throw Errors.wrongConfigType(path, value.origin().description(), article(entry.getValue()),
            value.valueType().name().toLowerCase() + " " + SecretRedaction.shown(path, value.render()));
      }
    }
  }

  private static String article(ConfigValueType type) {
    return switch (type) {
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean (true or false)";
      case STRING -> "a string";
      case LIST -> "a list";
      case OBJECT -> "an object";
      default -> type.name().toLowerCase();
    };
  }

  /** The declared key nearest to {@code key} by edit distance, when near enough to be a typo. */
  String closest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : declared.keySet()) {
      int distance = editDistance(key, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 5) ? best : null;
  }

  static int editDistance(String a, String b) {
    return io.mlcycle.base.EditDistance.between(a, b);
  }

  private static List<String> append(List<String> prefix, String key) {
    List<String> path = new ArrayList<>(prefix);
    path.add(key);
    return path;
  }
}
