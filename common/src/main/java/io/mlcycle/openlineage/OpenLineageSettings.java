package io.mlcycle.openlineage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.mlcycle.base.Errors;
import io.mlcycle.config.Settings;
import io.mlcycle.io.Storage;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a run's OpenLineage events go ({@code mlcycle.lineage.openlineage}), checked whole before Spark
 * starts: a bad value is exit 2 naming its key and where it was set.
 *
 * @param transport none (off, the default), file or http
 * @param namespace the namespace of mlcycle's jobs in the events
 * @param file the JSON-lines file, for the file transport
 * @param http the lineage API, for the http transport
 */
public record OpenLineageSettings(Transport transport, String namespace, Optional<Path> file, Optional<Http> http) {
  static final String ROOT = "mlcycle.lineage.openlineage";
  /** Where the file transport writes when {@code file.path} is empty, relative to a local storage root. */
  static final String DEFAULT_FILE = "openlineage/events.jsonl";

  /** How events leave the process. */
  public enum Transport {
    NONE, FILE, HTTP;

    String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A Marquez-compatible lineage API: events are POSTed to {@code url + endpoint}.
   *
   * @param apiKey sent as a bearer token when the environment variable named by {@code http.api-key-env} is set
   */
  public record Http(URI url, String endpoint, Duration timeout, Optional<String> apiKey) {
    @Override
    public String toString() {
      return "Http[url=" + url + ", endpoint=" + endpoint + ", timeout=" + timeout
          + ", apiKey=" + (apiKey.isPresent() ? "(from the environment)" : "none") + "]";
    }
  }

  /** The lineage settings of this run, reading API keys from the process environment. */
  public static OpenLineageSettings of(Settings settings) {
    return of(settings, System::getenv);
  }

  static OpenLineageSettings of(Settings settings, java.util.function.UnaryOperator<String> environment) {
    Config config = settings.config();
    Transport transport = transport(config);
    String namespace = config.getString(ROOT + ".namespace").strip();
    if (namespace.isEmpty()) {
      throw bad(config, "namespace", "the job namespace is empty; set it, e.g. to \"mlcycle\"");
    }
    Optional<Path> file = transport == Transport.FILE
        ? Optional.of(eventsFile(config, Storage.at(settings.storageRoot()))) : Optional.empty();
    Optional<Http> http = transport == Transport.HTTP ? Optional.of(http(config, environment)) : Optional.empty();
    return new OpenLineageSettings(transport, namespace, file, http);
  }

  /** Whether events are emitted at all; when not, the runner does no lineage work. */
  public boolean enabled() {
    return transport != Transport.NONE;
  }

  private static Transport transport(Config config) {
    String value = config.getString(ROOT + ".transport").strip();
    return Arrays.stream(Transport.values()).filter(t -> t.configName().equals(value)).findFirst()
        .orElseThrow(() -> bad(config, "transport", "'" + value + "' is not a transport; use none, file or http"));
  }

  private static Path eventsFile(Config config, Storage storage) {
    String path = config.getString(ROOT + ".file.path").strip();
    if (!path.isEmpty()) {
      return Path.of(path).toAbsolutePath().normalize();
    }
    URI root = URI.create(storage.root());
    if (!"file".equals(root.getScheme())) {
      throw bad(config, "file.path", "transport", "it is empty and the storage root " + DatasetId.namespace(storage)
          + " is not a local folder, where the default " + DEFAULT_FILE + " would go; set it to a local file,"
          + " or use transport = http");
    }
    return Path.of(root).resolve(DEFAULT_FILE);
  }

  private static Http http(Config config, java.util.function.UnaryOperator<String> environment) {
    String value = config.getString(ROOT + ".http.url").strip();
    if (value.isEmpty()) {
      throw bad(config, "http.url", "transport", "it is empty, and transport = http needs the URL of the lineage API,"
          + " e.g. http://marquez:5000");
    }
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      throw bad(config, "http.url", "'" + value + "' is not a URL: " + e.getReason());
    }
    if (url.getUserInfo() != null) {
      throw bad(config, "http.url", "it carries credentials; give the API key through the environment variable"
          + " named by " + ROOT + ".http.api-key-env instead");
    }
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      throw bad(config, "http.url", "'" + value + "' is not an http:// or https:// URL with a host");
    }
    String endpoint = config.getString(ROOT + ".http.endpoint").strip();
    if (!endpoint.startsWith("/")) {
      throw bad(config, "http.endpoint", "'" + endpoint + "' is not a path starting with /");
    }
    Duration timeout = timeout(config);
    String keyEnv = config.getString(ROOT + ".http.api-key-env").strip();
    Optional<String> apiKey = keyEnv.isEmpty() ? Optional.empty()
        : Optional.ofNullable(environment.apply(keyEnv)).filter(key -> !key.isBlank());
    return new Http(url, endpoint, timeout, apiKey);
  }

  private static Duration timeout(Config config) {
    Duration timeout;
    try {
      timeout = config.getDuration(ROOT + ".http.timeout");
    } catch (ConfigException.BadValue e) {
      throw bad(config, "http.timeout", "'" + config.getString(ROOT + ".http.timeout")
          + "' is not a duration; write it as e.g. 5s or 500ms");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw bad(config, "http.timeout", "'" + config.getString(ROOT + ".http.timeout")
          + "' is not a positive duration of at most " + Integer.MAX_VALUE + " ms");
    }
    return timeout;
  }

  private static RuntimeException bad(Config config, String key, String why) {
    return bad(config, key, key, why);
  }

  /** @param setBy the key whose setting makes {@code key}'s value wrong: where the message says it was set */
  private static RuntimeException bad(Config config, String key, String setBy, String why) {
    return Errors.badConfigValue(ROOT + "." + key, config.getValue(ROOT + "." + setBy).origin().description(), why);
  }
}
