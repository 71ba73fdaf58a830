package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A secret planted in the configuration of every command, and the search for it afterwards in everything a
 * job leaves: the stdout, stderr and log files of every attempt watched, every file under the roots, and
 * every row of every table there.
 */
final class PlantedSecret {
  private final String value = "planted" + UUID.randomUUID().toString().replace("-", "");
  private final List<Path> files = new ArrayList<>();
  private final List<String> texts = new ArrayList<>();

  /** A secret-named Spark setting (S3A's secret key) carrying the secret, as a user might pass one. */
  String setting() {
    return "mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=" + value;
  }

  /** The same with a value that does not parse as HOCON, as a password starting with "[" would. */
  String unparseableSetting() {
    return "mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=[" + value;
  }

  /** A secret under a key mlcycle does not know, which is refused with exit 2. */
  String unknownKeySetting() {
    return "mlcycle.storage.s3.secret-key=" + value;
  }

  /** Files or folders (searched whole) an attempt writes. */
  void watch(Path... outputs) {
    files.addAll(List.of(outputs));
  }

  /** What a run in this JVM printed. */
  void watch(JobRun run) {
    texts.add(run.out());
    texts.add(run.err());
  }

  /** Where the secret was found: one line per file, output or table; empty when nowhere. */
  List<String> scan(SparkSession spark, Path... roots) throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> searched = new ArrayList<>();
    for (Path path : files) {
      searched.addAll(regularFiles(path));
    }
    for (Path root : roots) {
      searched.addAll(regularFiles(root));
    }
    for (Path file : searched) {
      if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(value)) {
        found.add("the planted secret is in " + file);
      }
    }
    for (String text : texts) {
      if (text.contains(value)) {
        found.add("the planted secret is in a job's output: " + text.substring(0, Math.min(200, text.length())));
      }
    }
    String planted = value;
    for (Path root : roots) {
      for (String table : RootComparison.tables(root)) {
        long rows = spark.read().format("delta").load(root.resolve(table).toString())
            .select(to_json(struct(col("*"))).as("row")).where(col("row").contains(planted)).count();
        if (rows > 0) {
          found.add("the planted secret is in " + rows + " rows of " + root.resolve(table));
        }
      }
    }
    return found;
  }

  private static List<Path> regularFiles(Path path) throws IOException {
    if (!Files.exists(path)) {
      return List.of();
    }
    try (Stream<Path> tree = Files.walk(path)) {
      return tree.filter(Files::isRegularFile).toList();
    }
  }
}
