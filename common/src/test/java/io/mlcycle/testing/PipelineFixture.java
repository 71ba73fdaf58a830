package io.mlcycle.testing;

import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.config.Settings;
import io.mlcycle.ingest.BatchIngest;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.ingest.IngestResult;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.quality.BatchValidation;
import io.mlcycle.quality.PiiProtection;
import io.mlcycle.quality.QualitySpec;
import io.mlcycle.quality.ValidateResult;
import java.util.Map;
import io.mlcycle.quality.SchemaDriftPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A small flights-shaped pipeline in a temp folder for ingest and validate tests: a real pipeline file,
 * real raw files and real Delta tables under a temp storage root.
 */
public final class PipelineFixture {
  public static final String HEADER = "flight_id,date,delay,distance,origin,destination";
  public static final Clock CLOCK = Clock.fixed(Instant.parse("2001-05-01T00:00:00Z"), ZoneOffset.UTC);
  public static final String SCHEMA = """
      schema = [
        { name = flight_id, type = string }
        { name = date, type = timestamp }
        { name = delay, type = int }
        { name = distance, type = int }
        { name = origin, type = string }
        { name = destination, type = string }
      ]
      """;

  private final Path dir;
  private final SparkSession spark;
  private String body = SCHEMA;
  private final List<String> sets = new ArrayList<>();

  public PipelineFixture(Path dir, SparkSession spark) {
    this.dir = dir;
    this.spark = spark;
  }

  /** Replaces the pipeline body after name/key/source (schema, quality, pii sections). */
  public PipelineFixture body(String hocon) {
    this.body = hocon;
    return this;
  }

  public PipelineFixture set(String... more) {
    sets.addAll(Arrays.asList(more));
    return this;
  }

  public Settings settings() {
    Path file = dir.resolve("test-flights.conf");
    String pipeline = """
        pipeline {
          name = flights
          entity-key = [flight_id]
          event-time = date
          source { format = csv, options { timestampFormat = "yyyy-MM-dd HH:mm:ss" } }
        %s
        }
        """.formatted(body);
    try {
      Files.writeString(file, pipeline);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> all = new ArrayList<>(List.of("mlcycle.spark.master=local[2]", "mlcycle.spark.shuffle-partitions=2",
        "mlcycle.storage.root=" + dir.resolve("lake")));
    all.addAll(sets);
    return ConfigLoader.load(new ConfigRequest(Optional.empty(), Optional.of(file.toString()), all));
  }

  public Storage storage() {
    return Storage.at(dir.resolve("lake").toString());
  }

  public DatasetSpec spec() {
    Settings settings = settings();
    return DatasetSpec.from(settings.config(), settings.source());
  }

  /** Writes a raw file (UTF-8) and returns its file: URI as Hadoop names it. */
  public String file(String name, String... lines) {
    return bytes(name, (String.join("\n", lines) + (lines.length == 0 ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
  }

  public String bytes(String name, byte[] content) {
    Path path = dir.resolve("raw").resolve(name);
    try {
      Files.createDirectories(path.getParent());
      Files.write(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new org.apache.hadoop.fs.Path(path.toUri()).toString();
  }

  public IngestResult ingest(String batchId, String... files) {
    Settings settings = settings();
    return new BatchIngest(spark, DatasetSpec.from(settings.config(), settings.source()), storage(),
        SchemaDriftPolicy.from(settings.config()), "run-" + batchId, CLOCK).ingest(batchId, List.of(files));
  }

  /** Validates one batch against the latest bronze version; the PII key comes from {@code environment}. */
  public ValidateResult validate(String batchId, Map<String, String> environment) {
    return validation(environment).validate(batchId, DeltaTables.version(spark, storage().bronze("flights")));
  }

  public BatchValidation validation(Map<String, String> environment) {
    Settings settings = settings();
    DatasetSpec spec = DatasetSpec.from(settings.config(), settings.source());
    QualitySpec quality = QualitySpec.from(settings.config(), spec);
    return new BatchValidation(spark, spec, storage(), quality.rules().resolve(spark), quality.handling(),
        PiiProtection.of(quality.pii(), environment::get, spec.columns().stream().anyMatch(c -> c.pii())),
        quality.schemaDrift(), "validate-run", CLOCK);
  }

  public ValidateResult validate(String batchId) {
    return validate(batchId, Map.of());
  }

  public List<Row> table(String path) {
    return spark.read().format("delta").load(path).collectAsList();
  }
}
