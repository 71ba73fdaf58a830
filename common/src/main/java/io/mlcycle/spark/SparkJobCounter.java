package io.mlcycle.spark;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.slf4j.LoggerFactory;

/**
 * Counts the Spark jobs a stage launches, for its summary and the benchmark: on one machine each job
 * costs ~150 ms, so the count is the first thing to look at when a stage is slow.
 */
public final class SparkJobCounter implements AutoCloseable {
  private final SparkSession spark;
  private final AtomicLong jobs = new AtomicLong();
  private final SparkListener listener = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
      jobs.incrementAndGet();
    }
  };

  private SparkJobCounter(SparkSession spark) {
    this.spark = spark;
    spark.sparkContext().addSparkListener(listener);
  }

  public static SparkJobCounter start(SparkSession spark) {
    return new SparkJobCounter(spark);
  }

  /** Jobs started so far; waits for the listener bus to deliver the events already posted. */
  public long jobs() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(10_000L);
    } catch (java.util.concurrent.TimeoutException e) {
      // A bus still busy after 10 s makes the count a lower bound: it is a measurement, not a result.
      LoggerFactory.getLogger(SparkJobCounter.class).warn("Spark job count may be low: the listener bus is busy");
    }
    return jobs.get();
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(listener);
  }
}
