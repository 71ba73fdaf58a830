package io.mlcycle.init;

import io.mlcycle.base.Errors;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.dataset.SourceFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first rows of a raw input, read with the schema Spark infers, in the format given or told by the file's
 * extension (a {@code .json} file that opens with {@code [} is one JSON document, multi-line JSON).
 *
 * @param options the reader options a pipeline's {@code source.options} must repeat to read the input the same way
 * @param rows at most {@code limit} rows
 */
record RawSample(InputFiles input, SourceFormat format, Map<String, String> options, Dataset<Row> rows, int limit) {
  /** Schema inference reads at most about this many bytes of the input (Spark's samplingRatio above it). */
  private static final long INFERENCE_BYTES = 128L << 20;

  static RawSample read(SparkSession spark, InputFiles input, Optional<SourceFormat> given, int limit) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    SourceFormat format = given.orElseGet(() -> formatOf(input, hadoop));
    Map<String, String> options = new LinkedHashMap<>();
    if (format == SourceFormat.CSV) {
      options.put("header", "true");
      if (input.files().get(0).toLowerCase(Locale.ROOT).endsWith(".tsv")) {
        options.put("delimiter", "\t");
      }
    }
    DataFrameReader reader = spark.read().options(options);
    double ratio = Math.min(1.0, (double) INFERENCE_BYTES / Math.max(1, bytes(input, hadoop)));
    Dataset<Row> rows;
    try {
      rows = switch (format) {
        case CSV -> reader.option("inferSchema", "true").option("samplingRatio", ratio)
            .csv(input.files().toArray(String[]::new));
        case JSON, MULTILINE_JSON -> reader.option("inferTimestamp", "true").option("samplingRatio", ratio)
            .option("multiLine", Boolean.toString(format == SourceFormat.MULTILINE_JSON))
            .json(input.files().toArray(String[]::new));
        case PARQUET -> reader.parquet(input.files().toArray(String[]::new));
      };
    } catch (Exception e) {
      // Spark reports an unreadable file with exceptions Java cannot name here (SparkException is checked).
      throw unreadable(input, format, firstLine(e));
    }
    List<String> columns = List.of(rows.columns());
    if (columns.isEmpty() || columns.equals(List.of("_corrupt_record"))) {
      throw unreadable(input, format, columns.isEmpty() ? "it holds no columns" : "no record parses");
    }
    return new RawSample(input, format, options, rows.limit(limit), limit);
  }

  private static SourceFormat formatOf(InputFiles input, Configuration hadoop) {
    String file = input.files().get(0);
    String name = new Path(file).getName().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv") || name.endsWith(".tsv")) {
      return SourceFormat.CSV;
    }
    if (name.endsWith(".parquet") || name.endsWith(".pq")) {
      return SourceFormat.PARQUET;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return SourceFormat.JSON;
    }
    if (name.endsWith(".json")) {
      return firstCharacter(file, hadoop) == '[' ? SourceFormat.MULTILINE_JSON : SourceFormat.JSON;
    }
    throw Errors.usage("Cannot tell the format of " + input.input() + " from its name (" + name + "). Pass --format "
        + "csv, json (one object per line), multiline-json (one document, e.g. an array) or parquet.");
  }

  private static int firstCharacter(String file, Configuration hadoop) {
    Path path = new Path(file);
    try (InputStream in = path.getFileSystem(hadoop).open(path)) {
      int c = in.read();
      while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF) {
        c = in.read();
      }
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static long bytes(InputFiles input, Configuration hadoop) {
    long total = 0;
    try {
      for (String file : input.files()) {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(hadoop);
        total += fs.getFileStatus(path).getLen();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + input.input(), e);
    }
    return total;
  }

  private static RuntimeException unreadable(InputFiles input, SourceFormat format, String why) {
    return Errors.usage("Cannot read " + input.input() + " as " + format.configName() + ": " + why + ". Pass --format "
        + "with the file's format (csv, json, multiline-json or parquet), or check that the file is not damaged.");
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
