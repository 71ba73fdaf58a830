package io.mlcycle.monitoring;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import io.mlcycle.base.Errors;
import io.mlcycle.config.ConfigElement;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code pipeline.monitoring} section, parsed and checked whole before any data is read: the drift
 * thresholds, the realised-performance floors and ceilings, the slices, and the retraining triggers.
 * Every bad value exits 2 naming its key and file.
 *
 * @param drift when a feature and a batch count as drifted
 * @param batchesOverThreshold N of the drift trigger: batches over threshold among the last {@code window}
 * @param window M of the drift trigger
 * @param predictionBins equal-width bins over [0, 1] for prediction drift
 * @param floors realised metrics (higher is better) and the value below which they trigger a retrain
 * @param ceilings realised metrics (lower is better) and the value above which they trigger a retrain
 * @param maxWorsening realised metrics and the share by which they may be worse than the champion's own
 *     held-out value at training before they trigger a retrain (a limit relative to the model, not absolute)
 * @param slices columns of the labelled rows realised error is sliced by
 * @param worstSlices how many of the worst slices are kept per column
 * @param minSliceRows the fewest labelled rows a slice needs to be ranked
 * @param maxModelAge age of the champion that triggers a retrain; zero = never
 * @param minNewRows new rows since the champion's training data that trigger a retrain; zero = never
 * @param cooldown how long after a triggered retrain no other is triggered
 * @param unmonitored features declared {@code monitor = false}: their drift is measured and recorded, but not
 *     counted in a batch's drift share, so it triggers nothing
 */
public record MonitoringSpec(DriftThresholds drift, int batchesOverThreshold, int window, int predictionBins,
                             Map<String, Double> floors, Map<String, Double> ceilings,
                             Map<String, Double> maxWorsening, List<String> slices,
                             int worstSlices, long minSliceRows, Duration maxModelAge, long minNewRows,
                             Duration cooldown, String retrainTo, Set<String> unmonitored) {
  /** What a retrained model that passes the gates becomes ({@code pipeline.monitoring.retrain-to}). */
  public static final List<String> RETRAIN_TO = List.of("champion", "challenger");
  private static final String ROOT = "pipeline.monitoring";

  public MonitoringSpec {
    floors = Map.copyOf(floors);
    ceilings = Map.copyOf(ceilings);
    maxWorsening = Map.copyOf(maxWorsening);
    slices = List.copyOf(slices);
    unmonitored = Set.copyOf(unmonitored);
  }

  /**
   * When a feature drifts (PSI at least {@code psi}, or a numeric one's binned KS at least {@code ks}, or a
   * categorical one's Jensen-Shannon divergence at least {@code js}) and when a batch does (at least
   * {@code share} of its monitored features drifted).
   */
  public record DriftThresholds(double psi, double ks, double js, double share) {}

  /**
   * The realised metrics of {@code task} a floor may be set on: those measured ({@link RealisedPerformance#measured})
   * where higher is better, but the positive rate, which describes the labels, not the model.
   */
  public static Set<Metric> floorMetrics(Task task) {
    return RealisedPerformance.measured(task).stream()
        .filter(m -> m.largerIsBetter() && m != Metric.POSITIVE_RATE).collect(Collectors.toUnmodifiableSet());
  }

  /** Those a ceiling may be set on: measured, lower is better, but the mean residual, which is signed. */
  public static Set<Metric> ceilingMetrics(Task task) {
    return RealisedPerformance.measured(task).stream()
        .filter(m -> !m.largerIsBetter() && m != Metric.MEAN_RESIDUAL).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Those a relative limit may be set on: a floor's or a ceiling's metrics that training also measures on
   * its held-out rows (the unseen labels are only counted once labels arrive).
   */
  public static Set<Metric> relativeMetrics(Task task) {
    Set<Metric> metrics = new java.util.HashSet<>(floorMetrics(task));
    metrics.addAll(ceilingMetrics(task));
    metrics.remove(Metric.UNSEEN_LABELS);
    metrics.remove(Metric.BRIER);
    metrics.remove(Metric.RESIDUAL_PSI);
    return Set.copyOf(metrics);
  }

  /** Parses {@code pipeline.monitoring} of a resolved, validated configuration, for a model of {@code task}. */
  public static MonitoringSpec from(Config config, Task task) {
    DriftThresholds drift = new DriftThresholds(
        positive(config, "drift.psi-threshold"),
        fraction(config, "drift.ks-threshold"),
        fraction(config, "drift.js-threshold"),
        fraction(config, "drift.share-threshold"));
    int n = atLeastOne(config, "drift.batches-over-threshold");
    int m = atLeastOne(config, "drift.window");
    if (n > m) {
      throw invalid(config, "drift.batches-over-threshold", "it is " + n + ", more than drift.window (" + m
          + "), so drift could never trigger. Set it to at most the window, e.g. 2 of 3");
    }
    int predictionBins = config.getInt(ROOT + ".drift.prediction-bins");
    if (predictionBins < 2) {
      throw invalid(config, "drift.prediction-bins", "it is " + predictionBins + ". Set at least 2, e.g. 10");
    }
    return new MonitoringSpec(drift, n, m, predictionBins,
        limits(config, "performance.floor", task, floorMetrics(task), "a realised metric with a floor"),
        limits(config, "performance.ceiling", task, ceilingMetrics(task), "a realised metric with a ceiling"),
        relativeLimits(config, task),
        config.getStringList(ROOT + ".performance.slices"), atLeastOne(config, "performance.worst-slices"),
        atLeastOne(config, "performance.min-slice-rows"), duration(config, "max-model-age"),
        notNegative(config, "min-new-rows"), duration(config, "cooldown"), retrainTo(config), unmonitored(config));
  }

  /** The features declared {@code monitor = false} in {@code pipeline.features}. */
  private static Set<String> unmonitored(Config config) {
    Set<String> names = new java.util.TreeSet<>();
    for (ConfigElement feature : ConfigElement.list(config, "pipeline.features")) {
      if (feature.has("monitor") && !feature.bool("monitor", true)) {
        names.add(feature.string("name"));
      }
    }
    return names;
  }

  /** {@code performance.max-worsening}: shares of the held-out value, each above 0. */
  private static Map<String, Double> relativeLimits(Config config, Task task) {
    Map<String, Double> limits = limits(config, "performance.max-worsening", task, relativeMetrics(task),
        "a realised metric compared with the model's held-out value");
    limits.forEach((metric, share) -> {
      if (!(share > 0)) {
        throw invalid(config, "performance.max-worsening." + metric, "it is " + share + ". Set the share by which "
            + "the realised value may be worse than the held-out one, above 0, e.g. 0.1 for 10%");
      }
    });
    return limits;
  }

  private static Map<String, Double> limits(Config config, String key, Task task, Set<Metric> metrics,
                                            String place) {
    Map<String, Double> limits = new LinkedHashMap<>();
    Config map = config.getConfig(ROOT + "." + key);
    for (String metric : map.root().keySet()) {
      String path = key + "." + metric;
      Optional<String> unfit = Metric.check(metric, task, metrics, place);
      if (unfit.isPresent()) {
        throw invalid(config, path, unfit.get());
      }
      try {
        limits.put(metric, map.getDouble(metric));
      } catch (ConfigException.WrongType e) {
        throw Errors.wrongConfigType(ROOT + "." + path, origin(config, path), "a number",
            map.getValue(metric).render());
      }
    }
    return limits;
  }

  private static double positive(Config config, String key) {
    double value = config.getDouble(ROOT + "." + key);
    if (!(value > 0)) {
      throw invalid(config, key, "it is " + value + ". Set a positive number, e.g. 0.2");
    }
    return value;
  }

  private static double fraction(Config config, String key) {
    double value = config.getDouble(ROOT + "." + key);
    if (!(value > 0 && value <= 1)) {
      throw invalid(config, key, "it is " + value + ". Set a number above 0 and at most 1, e.g. 0.1");
    }
    return value;
  }

  private static int atLeastOne(Config config, String key) {
    int value = config.getInt(ROOT + "." + key);
    if (value < 1) {
      throw invalid(config, key, "it is " + value + ". Set at least 1");
    }
    return value;
  }

  private static long notNegative(Config config, String key) {
    long value = config.getLong(ROOT + "." + key);
    if (value < 0) {
      throw invalid(config, key, "it is " + value + ". Set 0 (off) or a positive number of rows");
    }
    return value;
  }

  /** A duration with a unit: a bare number would silently mean milliseconds. */
  private static Duration duration(Config config, String key) {
    String path = ROOT + "." + key;
    if (config.getValue(path).valueType() == ConfigValueType.NUMBER && config.getDouble(path) != 0) {
      throw invalid(config, key, "it is a number without a unit, which would mean milliseconds. Write e.g. 30d or 12h");
    }
    Duration value;
    try {
      value = config.getDuration(path);
    } catch (ConfigException.BadValue e) {
      throw invalid(config, key, "'" + config.getString(path) + "' is not a duration. Write e.g. 0s, 12h or 30d");
    }
    if (value.isNegative()) {
      throw invalid(config, key, "it is negative. Write 0s (off) or a duration such as 30d");
    }
    return value;
  }

  private static String retrainTo(Config config) {
    String to = config.getString(ROOT + ".retrain-to");
    if (!RETRAIN_TO.contains(to)) {
      throw invalid(config, "retrain-to", "'" + to + "' is not champion or challenger");
    }
    return to;
  }

  private static MlcycleException invalid(Config config, String key, String why) {
    return Errors.badConfigValue(ROOT + "." + key, origin(config, key), why);
  }

  private static String origin(Config config, String key) {
    String path = ROOT + "." + key;
    return config.hasPath(path) ? config.getValue(path).origin().description() : "reference.conf";
  }
}
