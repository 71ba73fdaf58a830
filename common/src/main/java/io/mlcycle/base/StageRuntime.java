package io.mlcycle.base;

import io.mlcycle.io.Storage;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * What every stage action is handed and never reaches for itself, as Delta Kernel hands its
 * {@code Engine} to every call: the session, the storage root, the clock that stamps recorded times, the
 * user recorded with them, and the run id the action's exactly-once writes are keyed on. The session is
 * started on first use, so that an action whose settings are wrong fails before Spark starts.
 */
public record StageRuntime(Supplier<SparkSession> session, Storage storage, Clock clock, String user, String runId) {
  public StageRuntime(SparkSession spark, Storage storage, Clock clock, String user, String runId) {
    this(() -> spark, storage, clock, user, runId);
  }

  public SparkSession spark() {
    return session.get();
  }
}
