package io.mlcycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved, validated configuration of one run, with one small typed getter per setting. Defaults
 * and their meaning live in {@code reference.conf}; precedence is described on {@link ConfigLoader}.
 * Stays on the driver: executors get small records derived from it, never this object.
 */
public final class Settings {
  private final Config config;
  private final String source;
  private final Optional<String> pipelineSource;

  Settings(Config config, String source, Optional<String> pipelineSource) {
    this.config = config;
    this.source = source;
    this.pipelineSource = pipelineSource;
  }

  /** The whole resolved tree, for the stage that owns a section. */
  public Config config() {
    return config;
  }

  /** Where the settings came from, for messages: the --config file or the embedded default. */
  public String source() {
    return source;
  }

  public Optional<String> pipelineSource() {
    return pipelineSource;
  }

  public Optional<String> pipeline() {
    String name = config.getString("mlcycle.pipeline");
    return name.isBlank() ? Optional.empty() : Optional.of(name);
  }

  public String storageRoot() {
    return config.getString("mlcycle.storage.root");
  }

  public S3 s3() {
    Config s3 = config.getConfig("mlcycle.storage.s3");
    return new S3(s3.getString("endpoint"), s3.getString("region"),
        s3.getBoolean("path-style-access"), s3.getBoolean("ssl-enabled"), s3.getInt("retry.attempts"),
        s3.getDuration("retry.interval"), s3.getDuration("connect-timeout"), s3.getDuration("request-timeout"));
  }

  public SparkOptions spark() {
    Config spark = config.getConfig("mlcycle.spark");
    Map<String, String> extra = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : spark.getConfig("conf").entrySet()) {
      extra.put(com.typesafe.config.ConfigUtil.splitPath(entry.getKey()).stream()
          .reduce((a, b) -> a + "." + b).orElseThrow(), String.valueOf(entry.getValue().unwrapped()));
    }
    return new SparkOptions(spark.getString("master"), spark.getString("app-name"),
        spark.getInt("shuffle-partitions"), spark.getBoolean("ui-enabled"), Map.copyOf(extra));
  }

  public boolean verbose() {
    return config.getBoolean("mlcycle.log.verbose");
  }

  /** The resolved configuration as HOCON, secrets redacted: what {@code mlcycle config} prints. */
  public String render() {
    return SecretRedaction.redact(config).root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
  }

  /**
   * SHA-256 of the canonical (key-sorted) JSON of the configuration, for lineage. Secrets are excluded, and
   * so is the storage root: it says where the tables are, not what was done to them, and a copied or moved
   * root (a restore, a staging copy) must name its runs' configuration as the original does.
   */
  public String hash() {
    String canonical = SecretRedaction.redact(config).withoutPath("mlcycle.storage.root").root()
        .render(ConfigRenderOptions.concise());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * These settings with the {@code pipeline} section a training run recorded ({@code pipelineJson}, from
   * {@code PipelineSettings.recordedConfig}) in place of this run's: keys the recording lacks (added to
   * mlcycle since) take their reference defaults, and a value redacted as a secret takes this run's value.
   */
  public Settings withPipeline(String pipelineJson) {
    Config recorded = com.typesafe.config.ConfigFactory.parseString(pipelineJson,
        com.typesafe.config.ConfigParseOptions.defaults().setSyntax(com.typesafe.config.ConfigSyntax.JSON)
            .setOriginDescription("the recorded configuration")).atPath("pipeline");
    for (Map.Entry<String, ConfigValue> entry : recorded.entrySet()) {
      if (SecretRedaction.REDACTED.equals(entry.getValue().unwrapped()) && config.hasPath(entry.getKey())) {
        recorded = recorded.withValue(entry.getKey(), config.getValue(entry.getKey()));
      }
    }
    Config reference = com.typesafe.config.ConfigFactory.defaultReference(Settings.class.getClassLoader())
        .withOnlyPath("pipeline");
    return new Settings(recorded.withFallback(reference).withFallback(config.withoutPath("pipeline")).resolve(),
        "the configuration recorded with the run", Optional.of("the recorded pipeline"));
  }

  /** S3A settings for the storage root; credentials are deliberately absent (environment only). */
  /**
   * The S3 store and how hard to try it: {@code attempts} bounds both the AWS SDK's retries of one request
   * and S3A's retries of an operation, {@code interval} is S3A's pause between them, and the timeouts bound
   * opening a connection and one request. A store that stays down fails the job after those, with exit 1.
   */
  public record S3(String endpoint, String region, boolean pathStyleAccess, boolean sslEnabled, int attempts,
                   java.time.Duration interval, java.time.Duration connectTimeout, java.time.Duration requestTimeout) {
    public Map<String, String> hadoopOptions() {
      Map<String, String> options = new LinkedHashMap<>();
      if (!endpoint.isBlank()) {
        options.put("fs.s3a.endpoint", endpoint);
      }
      options.put("fs.s3a.endpoint.region", region);
      options.put("fs.s3a.path.style.access", Boolean.toString(pathStyleAccess));
      options.put("fs.s3a.connection.ssl.enabled", Boolean.toString(sslEnabled));
      options.put("fs.s3a.attempts.maximum", Integer.toString(attempts));
      options.put("fs.s3a.retry.limit", Integer.toString(attempts));
      options.put("fs.s3a.retry.throttle.limit", Integer.toString(attempts));
      options.put("fs.s3a.retry.interval", interval.toMillis() + "ms");
      options.put("fs.s3a.retry.throttle.interval", interval.toMillis() + "ms");
      options.put("fs.s3a.connection.establish.timeout", connectTimeout.toMillis() + "ms");
      options.put("fs.s3a.connection.request.timeout", requestTimeout.toMillis() + "ms");
      options.put("fs.s3a.connection.timeout", requestTimeout.toMillis() + "ms");
      return options;
    }
  }

  /** How mlcycle starts Spark when no spark-submit did. */
  public record SparkOptions(String master, String appName, int shufflePartitions, boolean uiEnabled,
                             Map<String, String> conf) {}
}
