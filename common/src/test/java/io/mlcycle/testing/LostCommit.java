package io.mlcycle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.delta.DeltaLog;

/**
 * What a job killed just before one of its commits leaves behind: the table as it was, without that commit.
 * Removes a Delta table's newest commit file (and its checksum) and drops the session's cached logs, so
 * the next read sees the version before it — as if the process had died before writing it.
 */
public final class LostCommit {
  private LostCommit() {}

  /** @param table a local table path or {@code file:} URI */
  public static void undoLatest(String table) {
    Path log = (table.startsWith("file:") ? Path.of(URI.create(table)) : Path.of(table)).resolve("_delta_log");
    try (Stream<Path> files = Files.list(log)) {
      Path latest = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json"))
          .max(Comparator.naturalOrder()).orElseThrow(() -> new IllegalStateException("no commit in " + log));
      String version = latest.getFileName().toString().substring(0, 20);
      // Each file with the hidden checksum Hadoop's local file system keeps beside it.
      for (String name : new String[] {version + ".json", version + ".crc", version + ".checkpoint.parquet",
          "_last_checkpoint"}) {
        Files.deleteIfExists(log.resolve(name));
        Files.deleteIfExists(log.resolve("." + name + ".crc"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DeltaLog.clearCache();
  }
}
