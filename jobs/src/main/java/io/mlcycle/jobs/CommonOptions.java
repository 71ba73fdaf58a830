package io.mlcycle.jobs;

import io.mlcycle.config.ConfigRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every job takes. */
public final class CommonOptions {
  /** Set by the launcher to the checkout's conf/local.conf, so edits there apply without a rebuild. */
  static final String DEFAULT_CONFIG_PROPERTY = "mlcycle.default.config";

  @Option(names = "--config", paramLabel = "FILE",
      description = "HOCON config file (default: conf/local.conf, embedded in the jar).")
  Path config;

  @Option(names = "--pipeline", paramLabel = "NAME|FILE",
      description = "Pipeline to run: conf/pipelines/NAME.conf or a .conf file (default: key mlcycle.pipeline).")
  String pipeline;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Run id, for retries by an orchestrator (default: generated).")
  String runId;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one config key; repeatable; applied after --config.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--summary-out", paramLabel = "FILE",
      description = "Also write the one-line JSON summary to FILE.")
  Path summaryOut;

  @Option(names = "--verbose", description = "Print stack traces of unexpected failures.")
  boolean verbose;

  ConfigRequest configRequest() {
    Optional<Path> file = Optional.ofNullable(config)
        .or(() -> Optional.ofNullable(System.getProperty(DEFAULT_CONFIG_PROPERTY)).map(Path::of));
    return new ConfigRequest(file, Optional.ofNullable(pipeline), sets);
  }
}
