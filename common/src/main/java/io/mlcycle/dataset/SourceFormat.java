package io.mlcycle.dataset;

import java.util.Arrays;
import java.util.Optional;

/** The raw file formats {@code ingest} reads. */
public enum SourceFormat {
  CSV("csv"), JSON("json"), MULTILINE_JSON("multiline-json"), PARQUET("parquet");

  private final String configName;

  SourceFormat(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** Text formats keep malformed records as raw text, so they can be quarantined line by line. */
  public boolean isText() {
    return this != PARQUET;
  }

  /** The format named {@code value} as configuration names it (csv, json, multiline-json, parquet), ignoring case. */
  public static Optional<SourceFormat> parse(String value) {
    return Arrays.stream(values()).filter(f -> f.configName.equalsIgnoreCase(value.strip())).findFirst();
  }
}
