package io.mlcycle.testing;

import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.config.Settings;
import io.mlcycle.spark.SparkSessionFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: local[2], two shuffle partitions, UI off, Delta on. Built through
 * mlcycle's own config and session factory, so the tests run the code users run.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSessionFactory.create(settings());
    }
    return session;
  }

  /** Settings for tests: the defaults with a small local master; storage root given per test. */
  public static Settings settings(String... sets) {
    return ConfigLoader.load(ConfigRequest.defaults().withSets(
        "mlcycle.spark.master=local[2]", "mlcycle.spark.shuffle-partitions=2").withSets(sets));
  }
}
