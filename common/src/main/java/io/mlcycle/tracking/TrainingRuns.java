package io.mlcycle.tracking;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import io.mlcycle.base.RunIds;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * The one rule for "the latest training run" of a model, used by evaluate, the report and everything
 * that defaults to it: runs ordered by when they started — the start {@code _mlcycle/runs} recorded for
 * the run, else the time its id leads with — latest first; runs with neither last, by id.
 */
public final class TrainingRuns {
  private final TrackingTables tracking;

  public TrainingRuns(TrackingTables tracking) {
    this.tracking = tracking;
  }

  /** The model's training runs (those with params), latest first. */
  public List<String> latestFirst(String model) {
    List<String> runs = tracking.read(TrackingTables.PARAMS).where(col("model").equalTo(model))
        .select("run_id").distinct().collectAsList().stream().map(r -> r.getString(0)).toList();
    Map<String, Instant> started = new HashMap<>();
    for (Row r : tracking.read(TrackingTables.RUNS).where(col("run_id").isin(runs.toArray()))
        .groupBy("run_id").agg(min("started_at")).collectAsList()) {
      started.put(r.getString(0), r.getTimestamp(1).toInstant());
    }
    Comparator<String> byStart = Comparator.comparing(
        (String run) -> Optional.ofNullable(started.get(run)).or(() -> RunIds.startOf(run)).orElse(Instant.MIN));
    return runs.stream().sorted(byStart.thenComparing(Comparator.naturalOrder()).reversed()).toList();
  }

  /** The model's latest training run, if it has one. */
  public Optional<String> latest(String model) {
    return latestFirst(model).stream().findFirst();
  }
}
