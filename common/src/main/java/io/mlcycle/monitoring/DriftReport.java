package io.mlcycle.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The drift of one batch: every feature against its reference bins, the prediction's when a reference for
 * it was given, and the share of the monitored features that drifted.
 *
 * @param rows the batch's rows
 * @param unmonitored features measured but not counted in the share ({@code monitor = false})
 */
public record DriftReport(List<FeatureDrift> features, Optional<FeatureDrift> prediction, long rows,
                          MonitoringSpec.DriftThresholds thresholds, Set<String> unmonitored) {
  public DriftReport {
    features = List.copyOf(features);
    unmonitored = Set.copyOf(unmonitored);
  }

  /** The features whose drift counts: all but those declared {@code monitor = false}. */
  public List<FeatureDrift> monitored() {
    return features.stream().filter(f -> !unmonitored.contains(f.feature())).toList();
  }

  /** How many monitored features drifted. */
  public long drifted() {
    return monitored().stream().filter(FeatureDrift::drifted).count();
  }

  /** Drifted over monitored features (the prediction is not a feature); 0 with none. */
  public double share() {
    List<FeatureDrift> monitored = monitored();
    return monitored.isEmpty() ? 0 : (double) drifted() / monitored.size();
  }

  /** Whether the batch counts as drifted: at least the share threshold of its monitored features drifted. */
  public boolean overThreshold() {
    return !monitored().isEmpty() && share() >= thresholds.share();
  }

  /** The features then the prediction: the rows {@link DriftTable} writes. */
  public List<FeatureDrift> all() {
    List<FeatureDrift> all = new ArrayList<>(features);
    prediction.ifPresent(all::add);
    return all;
  }

  /**
   * The alert line for the summary and the log when the batch is over threshold or the prediction drifted,
   * naming the drifted columns, worst first.
   */
  public Optional<String> alert() {
    boolean predictionDrifted = prediction.map(FeatureDrift::drifted).orElse(false);
    if (!overThreshold() && !predictionDrifted) {
      return Optional.empty();
    }
    String worst = all().stream().filter(FeatureDrift::drifted)
        .sorted((a, b) -> Double.compare(b.psi(), a.psi()))
        .map(f -> String.format(Locale.ROOT, "%s (psi %.3f%s)", f.feature(), f.psi(),
            unmonitored.contains(f.feature()) ? ", not monitored" : ""))
        .collect(Collectors.joining(", "));
    return Optional.of(String.format(Locale.ROOT,
        "drift alert: %d of %d features drifted (share %.2f, threshold %.2f)%s; drifted: %s",
        drifted(), monitored().size(), share(), thresholds.share(),
        prediction.map(p -> String.format(Locale.ROOT, ", prediction psi %.3f", p.psi())).orElse(""), worst));
  }
}
