package io.mlcycle.openlineage;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The latest version of every Delta table under the storage root, by its path under the root. Every
 * table mlcycle writes sits two levels down ({@code silver/flights}, {@code _mlcycle/metrics}), so one
 * glob of {@code <root>/*}{@code /*}{@code /_delta_log} finds them all; no Spark job runs.
 *
 * @param versions table path under the root → its latest committed version
 */
record TableVersions(Map<String, Long> versions) {
  TableVersions {
    versions = Map.copyOf(versions);
  }

  static TableVersions under(SparkSession spark, Storage storage) {
    Path root = new Path(storage.root());
    Map<String, Long> versions = new TreeMap<>();
    try {
      FileSystem fs = root.getFileSystem(spark.sessionState().newHadoopConf());
      FileStatus[] logs = fs.globStatus(new Path(root, "*/*/_delta_log"));
      for (FileStatus log : logs == null ? new FileStatus[0] : logs) {
        Path table = log.getPath().getParent();
        String name = table.getParent().getName() + "/" + table.getName();
        long version = DeltaTables.version(spark, storage.path(name));
        if (version != DeltaTables.NO_TABLE) {
          versions.put(name, version);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the Delta tables under " + storage.root(), e);
    }
    return new TableVersions(versions);
  }

  /** The version of {@code table} here, or {@link DeltaTables#NO_TABLE}. */
  long version(String table) {
    return versions.getOrDefault(table, DeltaTables.NO_TABLE);
  }

  /** The tables whose version is higher in {@code later} than here (new tables included), by path. */
  java.util.List<Change> changesTo(TableVersions later) {
    return later.versions.entrySet().stream()
        .filter(entry -> entry.getValue() > version(entry.getKey()))
        .map(entry -> new Change(entry.getKey(), version(entry.getKey()), entry.getValue()))
        .toList();
  }

  /**
   * A table that moved while the job ran.
   *
   * @param before its version before ({@link DeltaTables#NO_TABLE} for a table the job created)
   * @param after its version after
   */
  record Change(String table, long before, long after) {}
}
