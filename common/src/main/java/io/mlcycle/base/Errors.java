package io.mlcycle.base;

import java.util.Collection;

/**
 * The one factory of user-facing errors. Each message reads "Cannot &lt;do X&gt;: &lt;why&gt;" and ends
 * with how to fix it, so that a user never needs the stack trace.
 */
public final class Errors {
  private Errors() {}

  public static MlcycleException usage(String message) {
    return new MlcycleException(ExitCode.USAGE, message);
  }

  /** A job that works on a dataset, run with settings that name none. */
  public static MlcycleException noPipeline(String source) {
    return usage("Cannot run this job without a dataset: pipeline.name is empty. Pass --pipeline NAME "
        + "(conf/pipelines/NAME.conf) or set mlcycle.pipeline in " + source + ".");
  }

  public static MlcycleException unknownJob(String job, Collection<String> jobs) {
    return usage("Cannot run job '" + job + "': there is no such job. The jobs are: "
        + String.join(", ", jobs) + ". See 'mlcycle --help'.");
  }

  public static MlcycleException missingConfigFile(String file) {
    return usage("Cannot read config file " + file + ": it does not exist. "
        + "Pass an existing HOCON file with --config, or leave --config out to use the embedded local.conf.");
  }

  public static MlcycleException configSyntax(String where, String detail) {
    return usage("Cannot parse config " + where + ": " + detail + ". Fix the HOCON syntax at that line.");
  }

  public static MlcycleException unknownConfigKey(String key, String origin, String suggestion) {
    String fix = suggestion == null
        ? "Remove it, or see reference.conf for the valid keys."
        : "Did you mean '" + suggestion + "'?";
    return usage("Cannot use config key '" + key + "' (" + origin + "): it is not a known key. " + fix);
  }

  public static MlcycleException wrongConfigType(String key, String origin, String expected, String actual) {
    return usage("Cannot use config key '" + key + "' (" + origin + "): expected " + expected
        + " but got " + actual + ". Set it to " + expected + ".");
  }

  public static MlcycleException badConfigValue(String key, String origin, String why) {
    return usage("Cannot use config key '" + key + "' (" + origin + "): " + why + ".");
  }

  /** @param argument the {@code --set} argument as a message may show it (a secret's value redacted) */
  public static MlcycleException malformedSet(String argument, String why) {
    return usage("Cannot apply --set " + argument + ": " + why
        + ". Write it as --set key.path=value, e.g. --set mlcycle.storage.root=/data/mlcycle.");
  }

  public static MlcycleException missingInput(String what, String path) {
    return usage("Cannot read " + what + " " + path + ": it does not exist. Check the path and the storage root.");
  }

  public static MlcycleException dataQuality(String message) {
    return new MlcycleException(ExitCode.DATA_QUALITY, message);
  }
}
