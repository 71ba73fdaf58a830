package io.mlcycle.spark;

import io.mlcycle.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession of a process from the settings. A master given by spark-submit wins over
 * {@code mlcycle.spark.master}; Delta is always on; on one machine the defaults suit a small machine
 * (shuffle partitions sized to the cores, AQE on, UI off, loopback only).
 */
public final class SparkSessionFactory {
  private SparkSessionFactory() {}

  public static SparkSession create(Settings settings) {
    return SparkSession.builder().config(sparkConf(settings)).getOrCreate();
  }

  /** The Spark settings mlcycle would start with, spark-submit's and system properties included. */
  public static SparkConf sparkConf(Settings settings) {
    Settings.SparkOptions options = settings.spark();
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.master")) {
      conf.setMaster(options.master());
    }
    conf.setIfMissing("spark.app.name", options.appName());
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.setIfMissing("spark.sql.adaptive.enabled", "true");
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");

    String master = conf.get("spark.master");
    int partitions = options.shufflePartitions() > 0 ? options.shufflePartitions() : defaultPartitions(master);
    if (partitions > 0) {
      conf.set("spark.sql.shuffle.partitions", Integer.toString(partitions));
      // Delta rebuilds table state with this many partitions (default 50): far too many on one machine.
      conf.setIfMissing("spark.databricks.delta.snapshotPartitions", Integer.toString(partitions));
    }
    if (isLocal(master)) {
      conf.set("spark.ui.enabled", Boolean.toString(options.uiEnabled()));
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.sql.warehouse.dir",
          Path.of(System.getProperty("java.io.tmpdir"), "mlcycle-warehouse").toUri().toString());
    }
    for (Map.Entry<String, String> option : settings.s3().hadoopOptions().entrySet()) {
      conf.set("spark.hadoop." + option.getKey(), option.getValue());
    }
    options.conf().forEach(conf::set);
    return conf;
  }

  public static boolean isLocal(String master) {
    return master.startsWith("local");
  }

  /** Cores of a local master (local, local[N], local[*], local[N,F], local-cluster[W,C,M]); 0 elsewhere. */
  static int defaultPartitions(String master) {
    if (master.startsWith("local-cluster[")) {
      String[] parts = master.substring("local-cluster[".length(), master.length() - 1).split(",");
      return Math.max(2, Integer.parseInt(parts[0].trim()) * Integer.parseInt(parts[1].trim()));
    }
    if (master.equals("local")) {
      return 2;
    }
    if (master.startsWith("local[")) {
      String cores = master.substring("local[".length(), master.length() - 1).split(",")[0].trim();
      int n = cores.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(cores);
      return Math.max(2, n);
    }
    return 0;
  }
}
