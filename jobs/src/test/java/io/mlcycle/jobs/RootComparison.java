package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Two storage roots held to each other after the same commands: every Delta table (found by its
 * {@code _delta_log}) at the same version with the same rows as a multiset (so a row lost or written twice
 * is a difference), and every saved model's files. Left out, because they differ between any two runs:
 * columns of the clock (the {@code *_at} timestamps, durations, the summary line with its timings), the config hash (it
 * covers the root's own path) and the manifest hash (the manifest holds the creation time); in model
 * files, Spark ML's random stage and file ids and timestamps. {@code _mlcycle/runs} is the Runner's log of
 * attempts, one row per attempt that reached its end, so it is held to hold, for every command, the clean
 * run's outcome as its last row, not to be equal.
 */
final class RootComparison {
  static final String RUNS = "_mlcycle/runs";
  /** Rows whose values are measured on the clock: the hours from scoring to label. */
  private static final String CLOCK_ROWS = "metric is null or metric not like 'label_delay_hours%'";
  private static final Set<String> CLOCK_COLUMNS = Set.of("seconds", "summary", "manifest_sha256", "config_hash");
  private static final Pattern RANDOM_IDS = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|_[0-9a-f]{12}(?![0-9a-zA-Z])");
  /**
   * Values of the clock in model files: Spark ML's save time, ISO and MLflow times, and the manifest's digests
   * of files that hold a save time (each file is compared itself).
   */
  private static final Pattern CLOCK_VALUES = Pattern.compile("\"timestamp\":\\d+"
      + "|\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z?"
      + "|(?<=\"(sparkml/[^\"]{1,300}|MLmodel)\"\\s{0,2}:\\s{0,2})\"[0-9a-f]{64}\"");

  /** What was compared and every difference found, each a line naming the table or file. */
  record Outcome(int tables, long rows, int modelFiles, List<String> differences) {}

  private RootComparison() {}

  static Outcome compare(SparkSession spark, Path clean, Path faulty) throws IOException {
    List<String> differences = new ArrayList<>();
    TreeSet<String> tables = new TreeSet<>(tables(clean));
    TreeSet<String> faultyTables = tables(faulty);
    for (String table : faultyTables) {
      if (!tables.contains(table)) {
        differences.add(table + ": only after the faults");
      }
    }
    long rows = 0;
    for (String table : tables) {
      if (!faultyTables.contains(table)) {
        differences.add(table + ": missing after the faults");
        continue;
      }
      Dataset<Row> expected = comparable(spark.read().format("delta").load(clean.resolve(table).toString()));
      Dataset<Row> actual = comparable(spark.read().format("delta").load(faulty.resolve(table).toString()));
      rows += expected.count();
      if (table.equals(RUNS)) {
        differences.addAll(runsDiffer(spark, clean.resolve(table), faulty.resolve(table)));
        continue;
      }
      long cleanVersion = version(clean.resolve(table));
      long faultyVersion = version(faulty.resolve(table));
      if (cleanVersion != faultyVersion) {
        differences.add(table + ": version " + faultyVersion + ", clean run " + cleanVersion);
      }
      long missing = expected.exceptAll(actual).count();
      long extra = actual.exceptAll(expected).count();
      if (missing + extra > 0) {
        differences.add(table + ": " + missing + " rows missing and " + extra + " rows extra (of " + expected.count()
            + "); e.g. " + sample(expected.exceptAll(actual)) + " / " + sample(actual.exceptAll(expected)));
      }
    }
    TreeMap<String, String> cleanFiles = modelFiles(spark, clean);
    TreeMap<String, String> faultyFiles = modelFiles(spark, faulty);
    for (String file : cleanFiles.keySet()) {
      if (!faultyFiles.containsKey(file)) {
        differences.add(file + ": model file missing after the faults");
      } else if (!cleanFiles.get(file).equals(faultyFiles.get(file))) {
        differences.add(file + ": model file differs");
      }
    }
    faultyFiles.keySet().stream().filter(file -> !cleanFiles.containsKey(file))
        .forEach(file -> differences.add(file + ": model file only after the faults"));
    return new Outcome(tables.size(), rows, cleanFiles.size(), differences);
  }

  /** Every command's last recorded attempt has the clean run's job, run id and exit code. */
  private static List<String> runsDiffer(SparkSession spark, Path clean, Path faulty) {
    Dataset<Row> expected = lastAttempts(spark, clean);
    Dataset<Row> actual = lastAttempts(spark, faulty);
    long missing = expected.exceptAll(actual).count();
    long extra = actual.exceptAll(expected).count();
    return missing + extra == 0 ? List.of() : List.of(RUNS + ": last attempt per command differs: "
        + sample(expected.exceptAll(actual)) + " / " + sample(actual.exceptAll(expected)));
  }

  private static Dataset<Row> lastAttempts(SparkSession spark, Path runs) {
    spark.read().format("delta").load(runs.toString()).createOrReplaceTempView("attempts");
    return spark.sql("select job, run_id, max_by(status, ended_at) as status, max_by(exit_code, ended_at) as code "
        + "from attempts group by job, run_id");
  }

  private static String sample(Dataset<Row> rows) {
    return rows.limit(2).collectAsList().toString();
  }

  /**
   * The rows without the clock's columns and rows (a flight's date stays), complex values as JSON, doubles to
   * 10 decimals (the order of a sum's terms may differ).
   */
  private static Dataset<Row> comparable(Dataset<Row> table) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : table.schema().fields()) {
      String name = field.name();
      boolean stamp = field.dataType().equals(DataTypes.TimestampType)
          || field.dataType().equals(DataTypes.TimestampNTZType);
      if (CLOCK_COLUMNS.contains(name) || stamp && name.endsWith("_at")) {
        continue;
      }
      Column column = col("`" + name + "`");
      if (field.dataType() instanceof StructType || field.dataType() instanceof MapType
          || field.dataType() instanceof ArrayType) {
        column = to_json(column);
      } else if (field.dataType().equals(DataTypes.DoubleType) || field.dataType().equals(DataTypes.FloatType)) {
        column = round(column, 10);
      }
      columns.add(column.as(name));
    }
    Dataset<Row> rows = List.of(table.columns()).contains("metric") ? table.where(CLOCK_ROWS) : table;
    return rows.select(columns.toArray(Column[]::new));
  }

  static TreeSet<String> tables(Path root) {
    TreeSet<String> tables = new TreeSet<>();
    GoldenSchemas.deltaTables(root).forEach(table -> tables.add(root.relativize(table).toString().replace('\\', '/')));
    return tables;
  }

  /** The table's latest version: its newest commit file's number. */
  static long version(Path table) throws IOException {
    try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
      return log.map(path -> path.getFileName().toString()).filter(name -> name.matches("\\d{20}\\.json"))
          .mapToLong(name -> Long.parseLong(name.substring(0, 20))).max().orElse(-1);
    }
  }

  /**
   * The files of every saved model (any folder with a {@code manifest.json}, outside Delta tables), by
   * their path with random ids normalised, to a digest of their content.
   */
  private static TreeMap<String, String> modelFiles(SparkSession spark, Path root) throws IOException {
    TreeMap<String, String> files = new TreeMap<>();
    List<Path> models;
    try (Stream<Path> tree = Files.walk(root)) {
      models = tree.filter(path -> path.getFileName().toString().equals("manifest.json")).map(Path::getParent)
          .toList();
    }
    for (Path model : models) {
      try (Stream<Path> tree = Files.walk(model)) {
        tree.filter(Files::isRegularFile)
            .filter(file -> !file.getFileName().toString().startsWith(".") && !file.toString().endsWith(".crc"))
            .forEach(file -> files.put(normalised(root.relativize(file).toString()), digest(spark, file)));
      }
    }
    return files;
  }

  /**
   * A digest of the file's content: a Parquet file's rows as JSON (its footer names the stage's random
   * output columns), any other file's text, each with random ids and the clock's values normalised.
   */
  private static String digest(SparkSession spark, Path file) {
    try {
      String text = file.getFileName().toString().endsWith(".parquet")
          ? String.join("\n", spark.read().parquet(file.toString()).toJSON().collectAsList())
          : new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      byte[] bytes = normalised(text).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String normalised(String text) {
    return CLOCK_VALUES.matcher(RANDOM_IDS.matcher(text).replaceAll("<id>")).replaceAll("<clock>");
  }
}
