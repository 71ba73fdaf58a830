package io.mlcycle.features;

import io.mlcycle.base.Errors;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.io.ColumnNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small table that lookups join onto rows (airports, stores, ...): read from a CSV file with a header,
 * Parquet or Delta, with only its key and the declared columns, cast to their declared types.
 *
 * @param path relative to the working directory, or a URI
 * @param columns the columns kept, with their Spark SQL types, in declared order
 */
public record ReferenceTable(String name, String path, String format, String key, Map<String, String> columns,
                             String keyPath, String origin) {
  static final Set<String> FORMATS = Set.of("csv", "parquet", "delta");

  public ReferenceTable {
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /** The path as a URI, a plain path made absolute against the working directory. */
  public String uri() {
    return path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
        ? path : java.nio.file.Path.of(path).toAbsolutePath().normalize().toUri().toString();
  }

  /**
   * The table, lazily: key and declared columns only. Checks that it exists and, for CSV, that its header
   * has the key and every column, reading only the header line: no Spark job runs.
   */
  public Dataset<Row> load(SparkSession spark) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path location = new Path(uri());
    if (!exists(location, hadoop)) {
      throw Errors.usage("Cannot read reference table '" + name + "' (" + keyPath + ".path = \"" + path + "\", "
          + origin + "): " + uri() + " does not exist. Put the file there, or point " + keyPath
          + ".path at it (relative paths start at the working directory).");
    }
    Dataset<Row> raw = switch (format) {
      case "csv" -> spark.read().option("header", true).schema(csvSchema(location, hadoop)).csv(uri());
      default -> spark.read().format(format).load(uri());
    };
    List<String> available = Arrays.asList(raw.columns());
    for (String column : concat(key, columns.keySet())) {
      if (!available.contains(column)) {
        throw Errors.usage("Cannot read reference table '" + name + "' (" + keyPath + ", " + origin + "): "
            + uri() + " has no column '" + column + "'; its columns are " + available
            + ". Fix " + keyPath + ".key or " + keyPath + ".columns.");
      }
    }
    Column[] selected = new Column[columns.size() + 1];
    selected[0] = ColumnNames.column(key).cast(DataTypes.StringType).as(key);
    int i = 1;
    for (Map.Entry<String, String> column : columns.entrySet()) {
      selected[i++] = ColumnNames.column(column.getKey()).cast(column.getValue()).as(column.getKey());
    }
    return raw.select(selected);
  }

  private static List<String> concat(String first, java.util.Collection<String> rest) {
    List<String> all = new java.util.ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static boolean exists(Path location, Configuration hadoop) {
    try {
      return location.getFileSystem(hadoop).exists(location);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check reference table " + location, e);
    }
  }

  /** Every header column as a string: the declared casts type them, and Spark needs no inference job. */
  private StructType csvSchema(Path location, Configuration hadoop) {
    StructType schema = new StructType();
    for (String column : header(location, hadoop).split(",", -1)) {
      schema = schema.add(column.trim().replaceAll("^\"|\"$", ""), DataTypes.StringType);
    }
    return schema;
  }

  private String header(Path location, Configuration hadoop) {
    try {
      FileSystem fs = location.getFileSystem(hadoop);
      Path file = fs.getFileStatus(location).isDirectory()
          ? Arrays.stream(fs.listStatus(location)).map(s -> s.getPath())
              .filter(p -> p.getName().endsWith(".csv")).findFirst().orElseThrow(() -> emptyDirectory(location))
          : location;
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        String line = reader.readLine();
        if (line == null || line.isBlank()) {
          throw Errors.usage("Cannot read reference table '" + name + "' (" + keyPath + "): " + file
              + " is empty; a CSV reference table needs a header line. Add the header.");
        }
        return line;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the header of reference table " + location, e);
    }
  }

  private MlcycleException emptyDirectory(Path location) {
    return Errors.usage("Cannot read reference table '" + name + "' (" + keyPath + "): " + location
        + " holds no .csv file. Point " + keyPath + ".path at the CSV file.");
  }
}
