package io.mlcycle.monitoring;

import io.mlcycle.dataset.KeyIssues;
import io.mlcycle.metrics.Metric;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@link MonitorAction} measured of one scored batch: each scoring version's drift, the realised
 * performance once labels are in, the alerts raised, and the health of the jobs.
 *
 * @param batchId the batch monitored; empty when there are no predictions at all
 * @param nothingToDo why nothing was measured (no predictions, or none in the batch); empty when measured
 * @param drift per model version that scored the batch, by version
 * @param health per job, from the runs table; empty when it has no runs
 * @param keys the predictions with a null or repeated entity key, per version and role: matched to no label and
 *     no feature row, so neither drift nor realised performance counts them
 * @param warnings what the run warns of (such keys), each with its fix
 * @param sparkJobs the Spark jobs the action launched
 */
public record MonitorResult(Optional<String> batchId, Optional<String> nothingToDo, List<VersionDrift> drift,
                            Performance performance, List<SystemHealth.JobHealth> health, List<String> alerts,
                            KeyIssues.Counts keys, List<String> warnings, long sparkJobs) {
  public MonitorResult {
    warnings = List.copyOf(warnings);
    drift = List.copyOf(drift);
    health = List.copyOf(health);
    alerts = List.copyOf(alerts);
  }

  static MonitorResult nothingToDo(Optional<String> batchId, String why) {
    return new MonitorResult(batchId, Optional.of(why), List.of(), Performance.NOT_MEASURED, List.of(), List.of(),
        KeyIssues.Counts.NONE, List.of(), 0);
  }

  /**
   * One model version's drift on the batch.
   *
   * @param report the drift measured now; empty when an earlier run already recorded it
   * @param driftTableVersion the drift table's version with this report; empty when nothing was written
   */
  public record VersionDrift(int version, String role, Optional<DriftReport> report,
                             Optional<Long> driftTableVersion) {
    public boolean alreadyRecorded() {
      return report.isEmpty();
    }
  }

  /** Whether labels could be joined to the batch's predictions. */
  public enum Labels {
    /** The batch was not monitored. */
    NONE,
    /** There is no feature table, so no label either. */
    NO_FEATURE_TABLE,
    /** The feature table holds no label for the batch's predictions yet. */
    NOT_YET,
    /** Labels matched predictions: the report was measured and written. */
    MEASURED
  }

  /**
   * The realised performance of the batch's predictions.
   *
   * @param report present when labels were {@link Labels#MEASURED}
   * @param performanceTableVersion the performance table's version with the report, when written
   */
  public record Performance(Labels labels, Optional<RealisedPerformance.Report> report,
                            Optional<Long> performanceTableVersion) {
    static final Performance NOT_MEASURED = new Performance(Labels.NONE, Optional.empty(), Optional.empty());
  }

  /** Whether the batch was measured (not nothing to do). */
  public boolean measured() {
    return nothingToDo.isEmpty();
  }

  /** The champion's drift measured now: the last version not scoring as challenger; empty when already recorded. */
  public Optional<DriftReport> championDrift() {
    return drift.stream().filter(d -> d.report().isPresent() && !d.role().equals("challenger"))
        .reduce((first, second) -> second).flatMap(VersionDrift::report);
  }

  /** The champion's drifted share of features; NaN when its drift was not measured by this run. */
  public double driftShare() {
    return championDrift().map(DriftReport::share).orElse(Double.NaN);
  }

  /** The champion's three most drifted features, worst first, each with its PSI. */
  public List<String> topDrifted() {
    return championDrift().map(r -> r.features().stream().filter(FeatureDrift::drifted)
        .sorted(Comparator.comparingDouble(FeatureDrift::psi).reversed()).limit(3)
        .map(f -> f.feature() + String.format(" (PSI %.2f)", f.psi())).toList()).orElse(List.of());
  }

  /** Realised AUC by "role vVERSION", in that order; empty when no label was in. */
  public Map<String, Double> aucByRole() {
    Map<String, Double> auc = new TreeMap<>();
    performance.report().ifPresent(r -> r.versions().forEach(v ->
        auc.put(v.role() + " v" + v.modelVersion(), v.metric(Metric.AREA_UNDER_ROC.id()))));
    return auc;
  }
}
