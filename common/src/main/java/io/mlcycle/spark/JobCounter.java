package io.mlcycle.spark;

import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs a piece of work starts, through a job group of its own: local-mode Spark costs
 * ~20–180 ms per job, so the count is the first thing to look at when a stage is slow.
 */
public final class JobCounter implements AutoCloseable {
  private final SparkSession spark;
  private final String group;

  private JobCounter(SparkSession spark, String group) {
    this.spark = spark;
    this.group = group;
  }

  public static JobCounter start(SparkSession spark, String what) {
    String group = "mlcycle-" + what + "-" + UUID.randomUUID();
    spark.sparkContext().setJobGroup(group, what, false);
    return new JobCounter(spark, group);
  }

  public int jobs() {
    return spark.sparkContext().statusTracker().getJobIdsForGroup(group).length;
  }

  @Override
  public void close() {
    spark.sparkContext().clearJobGroup();
  }
}
