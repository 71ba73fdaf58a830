package io.mlcycle.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether to retrain, from the champion's monitoring history and {@code pipeline.monitoring}: no
 * Spark, only the facts the tables hold. The triggers, in the order their name is reported when several fire:
 * <ul>
 *   <li>{@code performance}: a realised metric below its floor or above its ceiling, or worse than the
 *       champion's own held-out value at training by more than its {@code max-worsening} share;</li>
 *   <li>{@code drift}: at least N of the last M monitored batches over the drift-share threshold, the latest
 *       among them (a drift that has already passed triggers nothing);</li>
 *   <li>{@code age}: the champion's training is at least {@code max-model-age} old;</li>
 *   <li>{@code volume}: at least {@code min-new-rows} rows arrived after its training data.</li>
 * </ul>
 * Within {@code cooldown} of the last triggered retrain a firing trigger is recorded as {@code cooldown},
 * not acted on.
 */
public final class RetrainTriggers {
  private final MonitoringSpec spec;

  public RetrainTriggers(MonitoringSpec spec) {
    this.spec = spec;
  }

  /**
   * What the decision reads.
   *
   * @param drift the champion's monitored batches, oldest first ({@link DriftTable#history})
   * @param realised its latest realised metrics ({@link PerformanceTable#latest}); empty when no labels came yet
   * @param heldOut its metrics on its training run's held-out rows; empty when unknown
   * @param trainedAt when the champion's training run ended; empty when unknown
   * @param newRows rows of the feature table newer than the champion's training data
   * @param lastRetrain when the last triggered retrain was decided ({@link DecisionsTable#lastTriggered})
   */
  public record History(List<DriftTable.BatchShare> drift, Map<String, Double> realised, Map<String, Double> heldOut,
                        Optional<Instant> trainedAt, long newRows, Optional<Instant> lastRetrain, Instant now) {
    public History {
      drift = List.copyOf(drift);
      realised = Map.copyOf(realised);
      heldOut = Map.copyOf(heldOut);
    }
  }

  public RetrainDecision decide(History history) {
    List<String[]> fired = new ArrayList<>();
    List<String> quiet = new ArrayList<>();
    performance(history, fired, quiet);
    drift(history, fired, quiet);
    age(history, fired, quiet);
    volume(history, fired, quiet);
    if (fired.isEmpty()) {
      return new RetrainDecision(false, RetrainDecision.KEEP, RetrainDecision.NO_TRIGGER,
          "no trigger fired: " + String.join("; ", quiet));
    }
    String trigger = fired.get(0)[0];
    String reasons = String.join("; ", fired.stream().map(f -> f[1]).toList());
    if (history.lastRetrain().isPresent()) {
      Instant until = history.lastRetrain().get().plus(spec.cooldown());
      if (history.now().isBefore(until)) {
        return new RetrainDecision(false, RetrainDecision.COOLDOWN, trigger, reasons + "; but in cooldown until "
            + until + " (last retrain " + history.lastRetrain().get() + ", cooldown " + human(spec.cooldown()) + ")");
      }
    }
    return new RetrainDecision(true, RetrainDecision.RETRAIN, trigger, reasons);
  }

  private void performance(History history, List<String[]> fired, List<String> quiet) {
    if (spec.floors().isEmpty() && spec.ceilings().isEmpty() && spec.maxWorsening().isEmpty()) {
      return;
    }
    if (history.realised().isEmpty()) {
      quiet.add("no realised metrics yet");
      return;
    }
    spec.floors().forEach((metric, floor) -> limit(history, metric, floor, true, fired, quiet));
    spec.ceilings().forEach((metric, ceiling) -> limit(history, metric, ceiling, false, fired, quiet));
    new java.util.TreeMap<>(spec.maxWorsening()).forEach((metric, share) -> worsening(history, metric, share, fired,
        quiet));
  }

  /**
   * A realised metric against the champion's held-out value: worse by more than {@code share} of it (lower
   * where higher is better, higher where lower is better) fires.
   */
  private static void worsening(History history, String metric, double share, List<String[]> fired,
                                List<String> quiet) {
    Double value = history.realised().get(metric);
    Double heldOut = history.heldOut().get(metric);
    if (value == null || value.isNaN()) {
      quiet.add("realised " + metric + " not measured");
      return;
    }
    if (heldOut == null || heldOut.isNaN() || heldOut == 0) {
      quiet.add("no held-out " + metric + " of the champion's training to compare with");
      return;
    }
    double worse = (io.mlcycle.metrics.Metric.largerIsBetter(metric) ? heldOut - value : value - heldOut)
        / Math.abs(heldOut);
    boolean crossed = worse > share;
    String text = String.format(Locale.ROOT, "realised %s %.4f is %.1f%% %s than held out at training (%.4f; max "
        + "worsening %.1f%%)", metric, value, 100 * Math.abs(worse), worse >= 0 ? "worse" : "better", heldOut,
        100 * share);
    if (crossed) {
      fired.add(new String[] {"performance", text});
    } else {
      quiet.add(text);
    }
  }

  private static void limit(History history, String metric, double limit, boolean floor, List<String[]> fired,
                            List<String> quiet) {
    Double value = history.realised().get(metric);
    if (value == null || value.isNaN()) {
      quiet.add("realised " + metric + " not measured");
      return;
    }
    boolean crossed = floor ? value < limit : value > limit;
    String text = String.format(Locale.ROOT, "realised %s %.4f %s %s %.4f", metric, value,
        crossed ? (floor ? "below" : "above") : (floor ? "at or above" : "at or below"), floor ? "floor" : "ceiling", limit);
    if (crossed) {
      fired.add(new String[] {"performance", text});
    } else {
      quiet.add(text);
    }
  }

  private void drift(History history, List<String[]> fired, List<String> quiet) {
    List<DriftTable.BatchShare> batches = history.drift();
    if (batches.isEmpty()) {
      quiet.add("no monitored batches yet");
      return;
    }
    List<DriftTable.BatchShare> window = batches.subList(Math.max(0, batches.size() - spec.window()), batches.size());
    long over = window.stream().filter(this::over).count();
    DriftTable.BatchShare latest = window.get(window.size() - 1);
    boolean latestOver = over(latest);
    String text = String.format(Locale.ROOT, "drift over threshold in %d of the last %d batches (needs %d of %d, "
            + "the latest included; latest %s has share %.2f, threshold %.2f)", over, window.size(),
        spec.batchesOverThreshold(), spec.window(), latest.batchId(), latest.share(), spec.drift().share());
    if (over >= spec.batchesOverThreshold() && latestOver) {
      fired.add(new String[] {"drift", text});
    } else {
      quiet.add(text);
    }
  }

  private boolean over(DriftTable.BatchShare batch) {
    return batch.features() > 0 && batch.share() >= spec.drift().share();
  }

  private void age(History history, List<String[]> fired, List<String> quiet) {
    if (spec.maxModelAge().isZero() || history.trainedAt().isEmpty()) {
      return;
    }
    Duration age = Duration.between(history.trainedAt().get(), history.now());
    String text = "model age " + human(age) + " (max " + human(spec.maxModelAge()) + ")";
    if (age.compareTo(spec.maxModelAge()) >= 0) {
      fired.add(new String[] {"age", text});
    } else {
      quiet.add(text);
    }
  }

  private void volume(History history, List<String[]> fired, List<String> quiet) {
    if (spec.minNewRows() == 0) {
      return;
    }
    String text = history.newRows() + " new rows since training (min " + spec.minNewRows() + ")";
    if (history.newRows() >= spec.minNewRows()) {
      fired.add(new String[] {"volume", text});
    } else {
      quiet.add(text);
    }
  }

  /** 3d, 36h, 90m or 45s: the largest unit that divides the duration, as the config writes it. */
  static String human(Duration duration) {
    if (duration.toSeconds() % 86_400 == 0) {
      return duration.toDays() + "d";
    }
    if (duration.toSeconds() % 3_600 == 0) {
      return duration.toHours() + "h";
    }
    return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + "m" : duration.toSeconds() + "s";
  }
}
