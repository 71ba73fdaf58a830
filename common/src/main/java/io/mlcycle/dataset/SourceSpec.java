package io.mlcycle.dataset;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.mlcycle.base.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where and how {@code ingest} reads raw files: {@code pipeline.source}. */
public record SourceSpec(SourceFormat format, String path, Map<String, String> options) {
  public SourceSpec {
    options = Map.copyOf(options);
  }

  static SourceSpec from(Config config) {
    String format = config.getString("pipeline.source.format");
    SourceFormat parsed = SourceFormat.parse(format).orElseThrow(() -> Errors.badConfigValue(
        "pipeline.source.format", DatasetSpec.origin(config, "pipeline.source.format"),
        "'" + format + "' is not a supported format; use one of " + List.of(SourceFormat.values()).stream()
            .map(SourceFormat::configName).toList()));
    Map<String, String> options = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : config.getConfig("pipeline.source.options").entrySet()) {
      options.put(String.join(".", ConfigUtil.splitPath(entry.getKey())),
          String.valueOf(entry.getValue().unwrapped()));
    }
    return new SourceSpec(parsed, config.getString("pipeline.source.path"), options);
  }

  /** An option as the user set it, or the fallback. */
  public String option(String key, String fallback) {
    return options.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key))
        .map(Map.Entry::getValue).findFirst().orElse(fallback);
  }
}
