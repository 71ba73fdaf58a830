package io.mlcycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets wherever configuration is printed, hashed or recorded. A key is secret when any segment
 * of its path names a secret, password, token, credential, access key or session.
 */
public final class SecretRedaction {
  public static final String REDACTED = "*****";

  private static final Pattern SECRET = Pattern.compile(
      "(?i).*(secret|password|passwd|token|credential|access[._-]?key|session).*");

  private SecretRedaction() {}

  /**
   * Whether {@code keyPath} names a secret. A path into a list, as messages write it
   * ({@code pipeline.features[1].monitor}), is judged by its segments around the index; a path that is no
   * valid config path is judged whole, so it errs towards hiding.
   */
  public static boolean isSecret(String keyPath) {
    String path = keyPath.replaceAll("\\[\\d+]", "");
    try {
      return ConfigUtil.splitPath(path).stream().anyMatch(segment -> SECRET.matcher(segment).matches());
    } catch (com.typesafe.config.ConfigException.BadPath e) {
      return SECRET.matcher(keyPath).matches();
    }
  }

  /** What a message may show of {@code keyPath}'s value: the value, or {@value #REDACTED} for a secret. */
  public static String shown(String keyPath, String value) {
    return isSecret(keyPath) ? REDACTED : value;
  }

  /** A {@code --set key=value} argument as a message may show it; the key alone is judged, even if malformed. */
  public static String shownArgument(String argument) {
    int eq = argument.indexOf('=');
    return eq <= 0 ? (SECRET.matcher(argument).matches() ? REDACTED : argument)
        : argument.substring(0, eq + 1) + (SECRET.matcher(argument.substring(0, eq)).matches()
            ? REDACTED : argument.substring(eq + 1));
  }

  public static Config redact(Config config) {
    Config result = config;
    for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
      if (isSecret(entry.getKey())) {
        result = result.withValue(entry.getKey(),
            ConfigValueFactory.fromAnyRef(REDACTED, entry.getValue().origin().description()));
      }
    }
    return result;
  }
}
