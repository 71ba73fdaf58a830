package io.mlcycle.jobs;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.spark.RuntimeVersions;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Checks that this installation works end to end: Spark starts with the configured master, tasks run on
 * the executors, and the storage root takes a Delta write, an append and a time-travel read.
 */
@Command(name = "doctor", description = "Check Spark, the executors and a Delta round trip on the storage root.")
final class DoctorJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(DoctorJob.class);

  @Override
  public void run(JobContext context) throws IOException {
    SparkSession spark = context.spark();
    printVersions(context);

    List<Long> pids = taskProcessIds(spark);
    long driverPid = ProcessHandle.current().pid();
    long executorProcesses = pids.stream().filter(pid -> pid != driverPid).count();
    context.out().printf("tasks ran in processes %s (driver %d)%n", pids, driverPid);
    context.summary()
        .count("driver_pid", driverPid)
        .count("task_pids", pids.stream().map(String::valueOf).collect(Collectors.joining(",")))
        .count("executor_processes", executorProcesses);

    long rows = deltaRoundTrip(spark, context.storage(), context.runId());
    context.out().printf("storage %s: Delta write, append and time travel OK%n", context.storage().root());
    context.summary().count("storage_roundtrip_rows", rows)
        .message("Spark, executors and storage at " + context.storage().root() + " work");
  }

  /** The versions of mlcycle, Spark, Delta and Java, and the master: what a bug report needs first. */
  static void printVersions(JobContext context) {
    SparkSession spark = context.spark();
    RuntimeVersions versions = RuntimeVersions.of(spark);
    context.out().printf("mlcycle %s on Spark %s, Delta %s, Java %s%n",
        versions.mlcycle(), versions.spark(), versions.delta(), versions.java());
    context.out().printf("master %s, default parallelism %d, storage %s%n",
        spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), context.storage().root());
  }

  /** Runs a few tiny tasks and reports which JVM processes they ran in. */
  static List<Long> taskProcessIds(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(4, 2 * jsc.defaultParallelism());
    return jsc.parallelize(IntStream.range(0, slices).boxed().toList(), slices)
        .map(i -> ProcessHandle.current().pid())
        .distinct()
        .collect()
        .stream().sorted().toList();
  }

  /** Writes two versions of a scratch table under the root, reads version 0 back, and removes it. */
  private static long deltaRoundTrip(SparkSession spark, Storage storage, String runId) throws IOException {
    String table = storage.system("doctor/" + runId);
    try {
      spark.range(0, 3).write().format("delta").save(table);
      spark.range(3, 5).write().format("delta").mode("append").save(table);
      long latest = DeltaTables.version(spark, table);
      long first = spark.read().format("delta").option("versionAsOf", 0).load(table).count();
      long all = spark.read().format("delta").load(table).count();
      if (latest != 1 || first != 3 || all != 5) {
        throw new IllegalStateException("Delta round trip on " + table + " read back version " + latest
            + " with " + first + " and " + all + " rows; expected version 1 with 3 and 5 rows");
      }
      LOG.info("doctor: Delta round trip on {} OK", table);
      return all;
    } finally {
      Path path = new Path(table);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(path, true);
    }
  }
}
