package io.mlcycle.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the Spark jobs started while it is open: the figure benchmarks and summaries report, since
 * on one machine each job costs a fixed ~0.2 s. Listener events arrive asynchronously, so the count is
 * read after the work's last action has returned.
 */
public final class SparkJobCounter extends SparkListener implements AutoCloseable {
  private final SparkSession spark;
  private final AtomicInteger jobs = new AtomicInteger();

  private SparkJobCounter(SparkSession spark) {
    this.spark = spark;
  }

  public static SparkJobCounter start(SparkSession spark) {
    SparkJobCounter counter = new SparkJobCounter(spark);
    spark.sparkContext().addSparkListener(counter);
    return counter;
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.incrementAndGet();
  }

  /** The jobs started so far, once the listener bus has delivered every event posted until now. */
  public int jobs() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
    return jobs.get();
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(this);
  }
}
