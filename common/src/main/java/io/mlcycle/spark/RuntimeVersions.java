package io.mlcycle.spark;

import org.apache.spark.sql.SparkSession;

/** The versions a run records for lineage: mlcycle, Spark, Delta, Java. */
public record RuntimeVersions(String mlcycle, String spark, String delta, String java) {
  public static RuntimeVersions of(SparkSession spark) {
    String mlcycle = RuntimeVersions.class.getPackage().getImplementationVersion();
    return new RuntimeVersions(mlcycle == null ? "dev" : mlcycle, spark.version(),
        io.delta.package$.MODULE$.VERSION(), System.getProperty("java.version"));
  }
}
