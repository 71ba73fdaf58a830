package io.mlcycle.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.mlcycle.base.Errors;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.dataset.SchemaDrift;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.quality.SchemaDriftPolicy;
import io.mlcycle.dataset.SourceFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one batch of raw files with the declared schema, keeping every record that does not parse as raw
 * text (Spark's PERMISSIVE mode with a corrupt-record column) instead of dropping it. Before any Spark
 * job it checks the files' columns against the declared schema — CSV headers and Parquet footers — and
 * applies the schema-drift policy.
 */
public final class RawBatchReader {
  private final SparkSession spark;
  private final DatasetSpec spec;
  private final SchemaDriftPolicy policy;

  public RawBatchReader(SparkSession spark, DatasetSpec spec, SchemaDriftPolicy policy) {
    this.spark = spark;
    this.spec = spec;
    this.policy = policy;
  }

  /** The batch's rows; {@link java.util.Optional#empty()} when no file holds any data (empty files). */
  public java.util.Optional<RawBatch> read(String batchId, List<String> files) {
    return switch (spec.source().format()) {
      case CSV -> readCsv(batchId, files);
      case JSON, MULTILINE_JSON -> java.util.Optional.of(readJson(files));
      case PARQUET -> java.util.Optional.of(readParquet(batchId, files));
    };
  }

  private java.util.Optional<RawBatch> readCsv(String batchId, List<String> files) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("header", "true");
    options.putAll(spec.source().options());
    boolean header = Boolean.parseBoolean(spec.source().option("header", "true"));
    if (!header) {
      return java.util.Optional.of(project(csvReader(options).schema(withCorrupt(spec.sparkSchema()))
          .csv(files.toArray(String[]::new)), spec.sparkSchema(), List.of(), new SchemaDrift(List.of(), List.of(), Map.of())));
    }
    String delimiter = spec.source().option("delimiter", spec.source().option("sep", ","));
    Charset charset = Charset.forName(spec.source().option("encoding", spec.source().option("charset", "UTF-8")));
    Map<List<String>, List<String>> filesByHeader = new LinkedHashMap<>();
    for (String file : files) {
      headerOf(file, charset).map(line -> split(line, delimiter))
          .ifPresent(columns -> filesByHeader.computeIfAbsent(columns, c -> new ArrayList<>()).add(file));
    }
    if (filesByHeader.isEmpty()) {
      return java.util.Optional.empty();
    }
    List<String> extras = new ArrayList<>();
    SchemaDrift drift = new SchemaDrift(List.of(), List.of(), Map.of());
    Dataset<Row> union = null;
    for (Map.Entry<List<String>, List<String>> group : filesByHeader.entrySet()) {
      StructType fileSchema = headerSchema(group.getKey());
      SchemaDrift groupDrift = SchemaDrift.between(spec.sparkSchema(), fileSchema);
      if (!policy.accepts(groupDrift)) {
        throw reject(batchId, group.getValue().get(0), groupDrift, group.getKey(), delimiter);
      }
      drift = groupDrift.none() ? drift : groupDrift;
      Dataset<Row> read = csvReader(options).schema(withCorrupt(fileSchema))
          .csv(group.getValue().toArray(String[]::new));
      List<String> groupExtras = policy == SchemaDriftPolicy.EVOLVE ? groupDrift.added() : List.of();
      groupExtras.stream().filter(e -> !extras.contains(e)).forEach(extras::add);
      Dataset<Row> projected = project(read, fileSchema, groupExtras, groupDrift).rows();
      union = union == null ? projected : union.unionByName(projected, true);
    }
    return java.util.Optional.of(new RawBatch(union, drift, extras));
  }

  private DataFrameReader csvReader(Map<String, String> options) {
    return spark.read().options(options)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", RawBatch.CORRUPT);
  }

  private RawBatch readJson(List<String> files) {
    Dataset<Row> read = spark.read().options(spec.source().options())
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", RawBatch.CORRUPT)
        .option("multiLine", Boolean.toString(spec.source().format() == SourceFormat.MULTILINE_JSON))
        .schema(withCorrupt(spec.sparkSchema()))
        .json(files.toArray(String[]::new));
    return project(read, spec.sparkSchema(), List.of(), new SchemaDrift(List.of(), List.of(), Map.of()));
  }

  private RawBatch readParquet(String batchId, List<String> files) {
    SchemaDrift drift = new SchemaDrift(List.of(), List.of(), Map.of());
    List<String> extras = new ArrayList<>();
    for (String file : files) {
      StructType schema = parquetSchema(batchId, file);
      SchemaDrift fileDrift = SchemaDrift.between(spec.sparkSchema(), schema);
      if (!policy.accepts(fileDrift)) {
        throw policy.reject("ingest batch " + batchId + " (file " + file + ")", fileDrift);
      }
      drift = fileDrift.none() ? drift : fileDrift;
      if (policy == SchemaDriftPolicy.EVOLVE) {
        fileDrift.added().stream().filter(e -> !extras.contains(e)).forEach(extras::add);
      }
    }
    Dataset<Row> read = spark.read().options(spec.source().options()).option("mergeSchema", "true")
        .parquet(files.toArray(String[]::new));
    return project(read.withColumn(RawBatch.CORRUPT, lit(null).cast(DataTypes.StringType)),
        read.schema(), extras, drift);
  }

  /** Reads one Parquet footer on the driver; an unreadable or truncated file fails the batch naming it. */
  private StructType parquetSchema(String batchId, String file) {
    try {
      return spark.read().parquet(file).schema();
    } catch (Exception e) {
      // Spark raises SparkException, a checked exception Java cannot name here: catch them all.
      throw Errors.dataQuality("Cannot ingest batch " + batchId + ": file " + file
          + " is not a readable Parquet file (" + firstLine(e) + "). Replace or remove the file and rerun;"
          + " nothing was written.");
    }
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    return message.lines().findFirst().orElse(message);
  }

  /** Declared columns (null when the file lacks them), kept extras, the source file and the corrupt text. */
  private RawBatch project(Dataset<Row> read, StructType fileSchema, List<String> extras, SchemaDrift drift) {
    List<Column> columns = new ArrayList<>();
    List<String> present = List.of(fileSchema.fieldNames()).stream().map(String::toLowerCase).toList();
    for (DeclaredColumn column : spec.columns()) {
      Column value = present.contains(column.name().toLowerCase())
          ? ColumnNames.column(column.name()).cast(column.type()) : lit(null).cast(column.type());
      columns.add(value.as(column.name()));
    }
    extras.forEach(extra -> columns.add(ColumnNames.column(extra).cast(DataTypes.StringType).as(extra)));
    columns.add(col("_metadata.file_path").as(RawBatch.SOURCE_FILE));
    columns.add(col(RawBatch.CORRUPT));
    return new RawBatch(read.select(columns.toArray(Column[]::new)), drift, extras);
  }

  /** The header's columns, each with its declared type, or string when it is not declared. */
  private StructType headerSchema(List<String> header) {
    List<StructField> fields = new ArrayList<>();
    for (String name : header) {
      DataType type = spec.columns().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
          .map(DeclaredColumn::type).orElse(DataTypes.StringType);
      fields.add(new StructField(name, type, true, Metadata.empty()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  private static StructType withCorrupt(StructType schema) {
    return schema.add(RawBatch.CORRUPT, DataTypes.StringType, true);
  }

  private RuntimeException reject(String batchId, String file, SchemaDrift drift, List<String> header,
                                  String delimiter) {
    RuntimeException error = policy.reject("ingest batch " + batchId + " (file " + file + ")", drift);
    if (header.size() == 1 && header.get(0).matches(".*[;\\t|,].*")) {
      return Errors.dataQuality(error.getMessage() + " The header split on '" + delimiter
          + "' gives one column: is pipeline.source.options.delimiter right for this file?");
    }
    return error;
  }

  private java.util.Optional<String> headerOf(String file, Charset charset) {
    Path path = new Path(file);
    try (FSDataInputStream in = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(path);
         BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset))) {
      String line = reader.readLine();
      return line == null || line.isBlank() ? java.util.Optional.empty()
          : java.util.Optional.of(line.startsWith("\uFEFF") ? line.substring(1) : line);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the header of " + file, e);
    }
  }

  private static List<String> split(String line, String delimiter) {
    return List.of(line.split(Pattern.quote(delimiter), -1)).stream()
        .map(s -> s.strip().replaceAll("^\"|\"$", "")).toList();
  }
}
