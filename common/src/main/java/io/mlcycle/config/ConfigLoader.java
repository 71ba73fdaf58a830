package io.mlcycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import io.mlcycle.base.Errors;
import io.mlcycle.base.MlcycleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads the configuration once, before any Spark work, and validates it whole.
 *
 * <p>Precedence, later wins: {@code reference.conf} (every default) → the pipeline file → the
 * {@code --config} file (default: the embedded {@code local.conf}) → each {@code --set key=value} →
 * {@code ${?ENV}} placeholders, resolved last. Every failure is a {@link MlcycleException} with exit
 * code 2 that names the key and the file.
 */
public final class ConfigLoader {
  /** Where the jobs jar embeds conf/local.conf and conf/pipelines/*.conf. */
  public static final String EMBEDDED_LOCAL_CONF = "mlcycle/local.conf";
  public static final String EMBEDDED_PIPELINES = "mlcycle/pipelines/";

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private ConfigLoader() {}

  public static Settings load(ConfigRequest request) {
    ClassLoader loader = ConfigLoader.class.getClassLoader();
    Config reference = ConfigFactory.parseResources(loader, "reference.conf");
    Config file = parseConfigFile(request.configFile(), loader);
    Config sets = parseSets(request.sets());
    Config overrides = sets.withFallback(file);
    Optional<String> pipelineName = request.pipeline().isPresent()
        ? request.pipeline() : pipelineKey(overrides.withFallback(reference));

    Optional<PipelineSource> pipeline = PipelineSource.locate(pipelineName, request.configFile(), loader);
    Config pipelineConfig = pipeline.map(p -> p.parse(loader)).orElse(ConfigFactory.empty());
    if (pipeline.isPresent()) {
      overrides = ConfigValueFactory.fromAnyRef(pipeline.get().name(), "--pipeline")
          .atPath("mlcycle.pipeline").withFallback(overrides);
    }

    ConfigValidator validator = new ConfigValidator(reference);
    validator.checkKnownKeys(pipelineConfig);
    validator.checkKnownKeys(file);
    validator.checkKnownKeys(sets);

    Config merged = resolve(overrides.withFallback(pipelineConfig).withFallback(reference));
    validator.checkTypes(merged);
    return new Settings(merged, describe(request.configFile()), pipeline.map(PipelineSource::description));
  }

  private static Optional<String> pipelineKey(Config config) {
    String name = config.hasPath("mlcycle.pipeline") ? config.getValue("mlcycle.pipeline").unwrapped().toString() : "";
    return name.isBlank() ? Optional.empty() : Optional.of(name);
  }

  private static Config parseConfigFile(Optional<Path> configFile, ClassLoader loader) {
    if (configFile.isEmpty()) {
      return parse(() -> ConfigFactory.parseResources(loader, EMBEDDED_LOCAL_CONF,
          ConfigParseOptions.defaults().setAllowMissing(true)), "embedded local.conf");
    }
    Path path = configFile.get();
    if (!Files.isRegularFile(path)) {
      throw Errors.missingConfigFile(path.toString());
    }
    return parse(() -> ConfigFactory.parseFile(path.toFile(),
        ConfigParseOptions.defaults().setAllowMissing(false)), path.toString());
  }

  static Config parse(java.util.function.Supplier<Config> parser, String what) {
    try {
      return parser.get();
    } catch (ConfigException.Parse e) {
      String where = e.origin() == null ? what : e.origin().description();
      throw Errors.configSyntax(where, stripOrigin(e));
    } catch (ConfigException.IO e) {
      throw Errors.missingConfigFile(what);
    }
  }

  private static String stripOrigin(ConfigException e) {
    String message = e.getMessage();
    String origin = e.origin() == null ? null : e.origin().description();
    if (origin != null && message.startsWith(origin)) {
      message = message.substring(origin.length()).replaceFirst("^:\\s*", "");
    }
    return message;
  }

  /** Each --set becomes a one-key config whose origin says which argument it came from. */
  static Config parseSets(List<String> sets) {
    Config result = ConfigFactory.empty();
    for (String argument : sets) {
      result = parseSet(argument).withFallback(result);
    }
    return result;
  }

  private static Config parseSet(String argument) {
    int eq = argument.indexOf('=');
    if (eq <= 0) {
      throw Errors.malformedSet(SecretRedaction.shownArgument(argument), "it has no key=value form");
    }
    String key = argument.substring(0, eq).trim();
    String value = argument.substring(eq + 1);
    try {
      ConfigUtil.splitPath(key);
    } catch (ConfigException e) {
      throw Errors.malformedSet(SecretRedaction.shownArgument(argument), "'" + key + "' is not a valid key path");
    }
    String origin = "--set " + key;
    // A secret is taken as written: a password may well start with '[' or look like a number.
    Object parsed = !SecretRedaction.isSecret(key) && looksLikeHocon(value) ? parseValue(argument, value, origin)
        : value;
    return ConfigValueFactory.fromAnyRef(parsed, origin).atPath(key);
  }

  /** Numbers, booleans, lists and objects are parsed as HOCON; anything else is a plain string (paths, URIs). */
  private static boolean looksLikeHocon(String value) {
    String v = value.trim();
    return NUMBER.matcher(v).matches() || v.equals("true") || v.equals("false")
        || v.startsWith("[") || v.startsWith("{");
  }

  private static Object parseValue(String argument, String value, String origin) {
    try {
      return ConfigFactory.parseString("v = " + value, ConfigParseOptions.defaults().setOriginDescription(origin))
          .getValue("v").unwrapped();
    } catch (ConfigException e) {
      throw Errors.malformedSet(SecretRedaction.shownArgument(argument), "the value does not parse: " + stripOrigin(e));
    }
  }

  private static Config resolve(Config config) {
    try {
      return config.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (ConfigException.UnresolvedSubstitution e) {
      throw Errors.usage("Cannot resolve config: " + e.getMessage()
          + ". Set that environment variable, or write the placeholder as ${?NAME} to make it optional.");
    }
  }

  private static String describe(Optional<Path> configFile) {
    return configFile.map(Path::toString).orElse("embedded local.conf");
  }

  /** The pipeline file a name or path refers to, searched in a fixed order. */
  record PipelineSource(String name, Optional<Path> file, Optional<String> resource) {
    static Optional<PipelineSource> locate(Optional<String> pipeline, Optional<Path> configFile, ClassLoader loader) {
      if (pipeline.isEmpty()) {
        return Optional.empty();
      }
      String value = pipeline.get();
      if (value.endsWith(".conf") || value.contains("/")) {
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
          throw Errors.usage("Cannot read pipeline file " + value + ": it does not exist. "
              + "Pass --pipeline NAME for conf/pipelines/NAME.conf, or the path of an existing file.");
        }
        return Optional.of(new PipelineSource(nameOf(path), Optional.of(path), Optional.empty()));
      }
      List<Path> candidates = new ArrayList<>();
      configFile.map(Path::toAbsolutePath).map(Path::getParent)
          .ifPresent(dir -> candidates.add(dir.resolve("pipelines").resolve(value + ".conf")));
      candidates.add(Path.of("conf", "pipelines", value + ".conf"));
      for (Path candidate : candidates) {
        if (Files.isRegularFile(candidate)) {
          return Optional.of(new PipelineSource(value, Optional.of(candidate), Optional.empty()));
        }
      }
      String resource = EMBEDDED_PIPELINES + value + ".conf";
      if (loader.getResource(resource) != null) {
        return Optional.of(new PipelineSource(value, Optional.empty(), Optional.of(resource)));
      }
      throw Errors.usage("Cannot find pipeline '" + value + "': looked for " + candidates
          + " and the bundled pipelines. Create conf/pipelines/" + value + ".conf or pass --pipeline FILE.");
    }

    private static String nameOf(Path path) {
      String file = path.getFileName().toString();
      return file.endsWith(".conf") ? file.substring(0, file.length() - ".conf".length()) : file;
    }

    Config parse(ClassLoader loader) {
      return file.map(f -> ConfigLoader.parse(() -> ConfigFactory.parseFile(f.toFile(),
              ConfigParseOptions.defaults().setAllowMissing(false)), f.toString()))
          .orElseGet(() -> ConfigLoader.parse(() -> ConfigFactory.parseResources(loader, resource.get()),
              "bundled pipeline " + name));
    }

    String description() {
      return file.map(Path::toString).orElse("bundled pipeline " + name);
    }
  }
}
