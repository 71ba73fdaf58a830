package io.mlcycle.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import io.mlcycle.base.Steps;
import io.mlcycle.dataset.BatchKey;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.quality.SchemaDriftPolicy;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.quality.QualityLog;
import io.mlcycle.quality.QuarantineWriter;
import io.mlcycle.quality.RuleOutcome;
import io.mlcycle.quality.Severity;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one batch of raw files into {@code bronze/<dataset>}, exactly once: a batch already committed,
 * or files already ingested under another batch id, add nothing. Records that do not parse go to
 * {@code quarantine/<dataset>} with their raw text and reasons. The pass that writes bronze also counts
 * the batch, then quarantine is written when some records were rejected, and the quality report last, so a
 * crash before the report is repaired by a rerun (every write is keyed on the batch's app id).
 */
public final class BatchIngest {
  private static final Logger LOG = LoggerFactory.getLogger(BatchIngest.class);

  private final SparkSession spark;
  private final DatasetSpec spec;
  private final Storage storage;
  private final SchemaDriftPolicy policy;
  private final String runId;
  private final Clock clock;

  public BatchIngest(SparkSession spark, DatasetSpec spec, Storage storage, SchemaDriftPolicy policy,
                     String runId, Clock clock) {
    this.spark = spark;
    this.spec = spec;
    this.storage = storage;
    this.policy = policy;
    this.runId = runId;
    this.clock = clock;
  }

  public IngestResult ingest(String batchId, List<String> files) {
    BatchKey key = new BatchKey(spec.name(), batchId, "ingest", runId);
    String bronze = storage.bronze(spec.name());
    boolean inBronze = DeltaTables.committed(spark, bronze, key.batchAppId());
    if (inBronze && new QualityLog(spark, storage.system(QualityLog.TABLE)).hasCommitted(key)) {
      return nothing(batchId, List.of(), "batch " + batchId + " is already in bronze; nothing was written");
    }
    if (inBronze) {
      // Killed between the bronze commit and its report: the same files parse to the same counts again, and
      // quarantine and bronze are exactly-once per batch, so only the report is written.
      LOG.info("ingest {} batch {}: in bronze without its quality report; completing it", spec.name(), batchId);
    }
    Map<String, String> ingested = Steps.timed(LOG, "ingest " + batchId + ": check files already ingested",
        () -> alreadyIngested(bronze, files, batchId));
    List<String> fresh = files.stream().filter(f -> !ingested.containsKey(f)).toList();
    List<String> skipped = new ArrayList<>(ingested.keySet());
    if (fresh.isEmpty()) {
      return nothing(batchId, skipped, "every file of batch " + batchId + " was already ingested (as batch "
          + Set.copyOf(ingested.values()) + "); nothing was written");
    }
    // The batch is read and counted in a session of its own: Spark 4.1 keeps an observation's bookkeeping in a
    // non-serializable field of the session, and MLlib later serializes the session inside some closures
    // (a binary logistic-regression model's summary), which would then fail in this process.
    return new RawBatchReader(spark.newSession(), spec, policy).read(batchId, fresh)
        .map(raw -> write(key, raw, skipped))
        .orElseGet(() -> nothing(batchId, skipped, "batch " + batchId + " has no rows (empty files); nothing was written"));
  }

  /**
   * One parse of the raw files: bronze is written with the batch's counts observed on the way (a Spark
   * {@link Observation}), then quarantine, read again only when some records were rejected, and the quality
   * report last. A rerun that completes a killed batch finds its bronze write already committed and skipped,
   * so it counts the rows with a pass of its own. Whatever a crash left out before the report, the rerun
   * parses the same files to the same counts and completes it: quarantine and bronze are exactly-once per batch.
   */
  private IngestResult write(BatchKey key, RawBatch raw, List<String> skipped) {
    Instant now = clock.instant();
    Dataset<Row> parsed = raw.rows();
    if (Steps.timed(LOG, "ingest " + key.batchId() + ": any rows", parsed::isEmpty)) {
      return nothing(key.batchId(), skipped, "batch " + key.batchId() + " has no rows (header only); nothing was written");
    }
    Column rejected = ParseFailureReasons.rejected(spec);
    Column[] counts = {countRows().as("read"), count_if(rejected).as("rejected"),
        count_if(col(RawBatch.CORRUPT).isNotNull()).as("malformed")};
    Observation observed = new Observation("ingest " + key.batchId());
    Map<String, String> options = DeltaTables.appendOptions(List.of("_batch_id", RawBatch.SOURCE_FILE),
        !raw.extraColumns().isEmpty());
    long bronzeVersion = Steps.timed(LOG, "ingest " + key.batchId() + ": parse, count and write bronze",
        () -> DeltaTables.appendOnce(bronzeRows(parsed.observe(observed, counts[0], counts[1], counts[2])
            .where(not(rejected)), raw, key, now), storage.bronze(spec.name()), key.batchAppId(), options));
    Row counted = observed.future().isCompleted() ? observed.getRow()
        : Steps.timed(LOG, "ingest " + key.batchId() + ": count (bronze held the batch already)",
            () -> parsed.agg(counts[0], counts[1], counts[2], allParsed(raw)).first());
    long read = counted.getLong(0);
    long quarantined = counted.getLong(1);
    long malformed = counted.getLong(2);
    long quarantineVersion = quarantined == 0 ? DeltaTables.version(spark, storage.quarantine(spec.name()))
        : new QuarantineWriter(storage.quarantine(spec.name())).write(parsed.where(rejected), key,
            coalesce(col(RawBatch.CORRUPT), to_json(struct(rawColumns(raw)))), ParseFailureReasons.of(spec), now);
    Steps.timed(LOG, "ingest " + key.batchId() + ": write quality report", () -> new QualityLog(spark,
        storage.system(QualityLog.TABLE)).recordCommitted(key, bronzeVersion, read, outcomes(raw, malformed, quarantined - malformed), now));
    LOG.info("ingest {} batch {}: {} rows read, {} to bronze (v{}), {} quarantined", spec.name(), key.batchId(),
        read, read - quarantined, bronzeVersion, quarantined);
    return new IngestResult(key.batchId(), true, read, read - quarantined, quarantined, bronzeVersion,
        quarantineVersion, skipped, raw.drift().describe(), "ingested batch " + key.batchId() + ": "
        + (read - quarantined) + " rows to bronze, " + quarantined + " quarantined");
  }

  /**
   * An aggregate that reads every column. Spark's CSV reader converts only the columns a query reads, and
   * a value of the wrong type marks its record malformed only when converted: counting must read them all,
   * as the bronze write does.
   */
  private Column allParsed(RawBatch raw) {
    List<Column> columns = new ArrayList<>();
    spec.columnNames().forEach(c -> columns.add(ColumnNames.column(c)));
    raw.extraColumns().forEach(c -> columns.add(ColumnNames.column(c)));
    // A hash the optimiser cannot fold away (a count of a never-null struct it might).
    return max(xxhash64(columns.toArray(Column[]::new)));
  }

  private static Column countRows() {
    return org.apache.spark.sql.functions.count(lit(1));
  }

  private Dataset<Row> bronzeRows(Dataset<Row> accepted, RawBatch raw, BatchKey key, Instant now) {
    List<Column> columns = new ArrayList<>();
    spec.columnNames().forEach(c -> columns.add(ColumnNames.column(c)));
    raw.extraColumns().forEach(c -> columns.add(ColumnNames.column(c)));
    columns.add(lit(key.batchId()).as("_batch_id"));
    columns.add(col(RawBatch.SOURCE_FILE));
    columns.add(lit(Timestamp.from(now)).as("_ingested_at"));
    return accepted.select(columns.toArray(Column[]::new));
  }

  private Column[] rawColumns(RawBatch raw) {
    List<Column> columns = new ArrayList<>();
    spec.columns().stream().filter(c -> !c.pii()).forEach(c -> columns.add(ColumnNames.column(c.name())));
    raw.extraColumns().forEach(c -> columns.add(ColumnNames.column(c)));
    return columns.toArray(Column[]::new);
  }

  private List<RuleOutcome> outcomes(RawBatch raw, long malformed, long badEncoding) {
    return List.of(
        new RuleOutcome("parse", "parse", Severity.DROP, malformed, null, malformed == 0,
            malformed + " records did not parse as the declared " + spec.source().format().configName() + " schema"),
        new RuleOutcome("encoding", "encoding", Severity.DROP, badEncoding, null, badEncoding == 0,
            badEncoding + " records hold bytes that are not valid in the declared encoding"),
        SchemaDriftPolicy.outcome(raw.drift(), policy));
  }

  /** The input files bronze already holds under another batch, with that batch; one small Spark job. */
  private Map<String, String> alreadyIngested(String bronze, List<String> files, String batchId) {
    Map<String, String> found = new TreeMap<>();
    if (!DeltaTables.exists(spark, bronze)) {
      return found;
    }
    spark.read().format("delta").load(bronze)
        .where(col(RawBatch.SOURCE_FILE).isin(files.toArray()).and(col("_batch_id").notEqual(batchId)))
        .select(RawBatch.SOURCE_FILE, "_batch_id").distinct().collectAsList()
        .forEach(r -> found.put(r.getString(0), r.getString(1)));
    return found;
  }

  private IngestResult nothing(String batchId, List<String> skipped, String message) {
    String bronze = storage.bronze(spec.name());
    LOG.info("ingest {}: {}", spec.name(), message);
    return new IngestResult(batchId, false, 0, 0, 0, DeltaTables.version(spark, bronze),
        DeltaTables.version(spark, storage.quarantine(spec.name())), skipped, "", message);
  }
}
