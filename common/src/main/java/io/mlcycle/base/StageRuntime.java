package io.mlcycle.base;

import io.mlcycle.io.Storage;
import java.time.Clock;
import org.apache.spark.sql.SparkSession;

/**
 * What every stage action is handed and never reaches for itself, as Delta Kernel hands its
 * {@code Engine} to every call: the session, the storage root, the clock that stamps recorded times, the
 * user recorded with them, and the run id the action's exactly-once writes are keyed on.
 */
public record StageRuntime(SparkSession spark, Storage storage, Clock clock, String user, String runId) {}
