package io.mlcycle.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.mlcycle.base.Errors;
import io.mlcycle.base.Steps;
import io.mlcycle.dataset.BatchKey;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.SchemaDrift;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bronze batch → silver, exactly once: normalise (trim, empty → null), handle missing values and
 * outliers, remove exact duplicates, apply every rule, then — from one cached pass and one aggregation
 * for all rule counts, batch metrics and the column profile — either fail the batch (a rule of severity
 * error failed: exit 3, nothing reaches silver, the report is written) or commit quarantine, silver,
 * the quality report and the profile, one commit each.
 */
public final class BatchValidation {
  private static final Logger LOG = LoggerFactory.getLogger(BatchValidation.class);
  private static final Set<String> BRONZE_META = Set.of("_batch_id", "_source_file", "_ingested_at");

  private final SparkSession spark;
  private final DatasetSpec spec;
  private final Storage storage;
  private final RuleSet rules;
  private final List<ValueHandling> handling;
  private final PiiProtection pii;
  private final SchemaDriftPolicy policy;
  private final String runId;
  private final Clock clock;
  private final RowAnnotation annotation;
  private final SilverColumns columns;

  public BatchValidation(SparkSession spark, DatasetSpec spec, Storage storage, RuleSet rules,
                         List<ValueHandling> handling, PiiProtection pii, SchemaDriftPolicy policy, String runId,
                         Clock clock) {
    this.spark = spark;
    this.spec = spec;
    this.storage = storage;
    this.rules = rules;
    this.handling = List.copyOf(handling);
    this.pii = pii;
    this.policy = policy;
    this.runId = runId;
    this.clock = clock;
    this.annotation = new RowAnnotation(spec, rules, handling);
    this.columns = new SilverColumns(spec, pii);
  }

  /**
   * Bronze batches not yet in silver with their report and profile, in batch-id order; read from the Delta
   * logs (one read of each), no Spark job.
   */
  public List<String> pendingBatches() {
    String prefix = "ingest:" + spec.name() + ":";
    Set<String> silver = DeltaTables.appIds(spark, storage.silver(spec.name()));
    Set<String> reports = DeltaTables.appIds(spark, storage.system(QualityLog.TABLE));
    Set<String> profiles = DeltaTables.appIds(spark, storage.system(ProfileLog.TABLE));
    return DeltaTables.appIds(spark, storage.bronze(spec.name())).stream()
        .filter(id -> id.startsWith(prefix)).map(id -> id.substring(prefix.length()))
        .map(batch -> new BatchKey(spec.name(), batch, "validate", runId))
        .filter(key -> !silver.contains(key.batchAppId()) || !reports.contains(key.reportAppId("quality"))
            || !profiles.contains(key.reportAppId("profiles")))
        .map(BatchKey::batchId).sorted().toList();
  }

  /**
   * Whether the batch is in silver with its quality report and profile. A run killed after the silver commit
   * left it incomplete: validating it again recomputes the same report from the same bronze rows, writes
   * the report and profile, and commits no data twice (quarantine and silver are exactly-once per batch).
   */
  private boolean complete(BatchKey key) {
    return DeltaTables.committed(spark, storage.silver(spec.name()), key.batchAppId())
        && new QualityLog(spark, storage.system(QualityLog.TABLE)).hasCommitted(key)
        && new ProfileLog(spark, storage.system(ProfileLog.TABLE)).has(key);
  }

  public ValidateResult validate(String batchId, long bronzeVersion) {
    BatchKey key = new BatchKey(spec.name(), batchId, "validate", runId);
    String silver = storage.silver(spec.name());
    if (complete(key)) {
      return new ValidateResult(batchId, false, 0, 0, 0, 0, DeltaTables.version(spark, silver),
          DeltaTables.version(spark, storage.quarantine(spec.name())), Map.of(), List.of(),
          "batch " + batchId + " is already in silver; nothing was written");
    }
    if (!DeltaTables.committed(spark, storage.bronze(spec.name()), "ingest:" + spec.name() + ":" + batchId)) {
      throw Errors.usage("Cannot validate batch " + batchId + ": bronze/" + spec.name() + " has no such batch. "
          + "Run 'mlcycle ingest' for it first, or leave --batch-id out to validate every pending batch.");
    }
    Instant now = clock.instant();
    Dataset<Row> bronze = spark.read().format("delta").option("versionAsOf", bronzeVersion)
        .load(storage.bronze(spec.name())).where(col("_batch_id").equalTo(batchId));
    List<String> extras = List.of(bronze.columns()).stream()
        .filter(c -> spec.column(c).isEmpty() && !BRONZE_META.contains(c)).toList();
    SchemaDrift drift = checkDrift(key, bronzeVersion, extras, now);
    List<String> kept = policy == SchemaDriftPolicy.EVOLVE ? extras : List.of();

    Dataset<Row> annotated = annotation.annotate(annotation.normalise(bronze, kept), kept).cache();
    try {
      return judgeAndWrite(key, annotated, kept, drift, now);
    } finally {
      annotated.unpersist();
    }
  }

  private SchemaDrift checkDrift(BatchKey key, long bronzeVersion, List<String> extras, Instant now) {
    String silver = storage.silver(spec.name());
    StructType existing = DeltaTables.exists(spark, silver)
        ? SilverColumns.withoutMeta(spark.read().format("delta").load(silver).schema()) : columns.expectedSilverSchema(List.of());
    SchemaDrift drift = SchemaDrift.between(existing, columns.expectedSilverSchema(extras));
    if (!policy.accepts(drift)) {
      new QualityLog(spark, storage.system(QualityLog.TABLE)).recordRefused(key, DeltaTables.version(spark, silver), 0,
          List.of(new RuleOutcome("schema-drift", "schema-drift", Severity.ERROR, 0, null, false,
              drift.describe() + " (policy " + policy.configName() + ")")), now);
      throw policy.reject("validate batch " + key.batchId() + " into silver/" + spec.name()
          + " (bronze version " + bronzeVersion + ")", drift);
    }
    return drift;
  }

  private ValidateResult judgeAndWrite(BatchKey key, Dataset<Row> annotated, List<String> extras, SchemaDrift drift,
                                       Instant now) {
    Column counted = col(RowAnnotation.DUPLICATE).unary_$bang();
    Column silverRow = counted.and(col(RowAnnotation.DROPPED).unary_$bang());
    List<Column> aggregates = new ArrayList<>(List.of(count(lit(1)), count_if(col(RowAnnotation.DUPLICATE)), count_if(col(RowAnnotation.DROPPED))));
    for (int i = 0; i < rules.rowRules().size(); i++) {
      aggregates.add(count_if(col(RowAnnotation.flag(i))));
    }
    List<String> handlingReasons = annotation.handlingReasons();
    for (int i = 0; i < handlingReasons.size(); i++) {
      aggregates.add(count_if(col(RowAnnotation.handled(i)).and(counted)));
    }
    List<Integer> batchOffsets = new ArrayList<>();
    for (BatchRule rule : rules.batchRules()) {
      batchOffsets.add(aggregates.size());
      aggregates.addAll(rule.metrics(counted));
    }
    ColumnProfiler profiler = new ColumnProfiler(columns.profiledColumns(extras),
        spec.entityKey().size() == 1 ? Set.copyOf(spec.entityKey()) : Set.of());
    int profileOffset = aggregates.size();
    aggregates.addAll(profiler.aggregates(silverRow));
    Row values = Steps.timed(LOG, "validate " + key.batchId() + ": rules, metrics and profile in one pass",
        () -> annotated.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first());

    long rowsIn = values.getLong(0);
    long duplicates = values.getLong(1);
    long quarantined = values.getLong(2);
    long distinct = rowsIn - duplicates;
    List<RuleOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < rules.rowRules().size(); i++) {
      outcomes.add(rules.rowRules().get(i).outcome(values.getLong(3 + i), distinct));
    }
    for (int i = 0; i < handlingReasons.size(); i++) {
      long failed = values.getLong(3 + rules.rowRules().size() + i);
      String reason = handlingReasons.get(i);
      outcomes.add(new RuleOutcome(reason, "handling", Severity.DROP, failed, null, failed == 0,
          failed + " of " + distinct + " rows dropped by pipeline.quality.handling"));
    }
    for (int i = 0; i < rules.batchRules().size(); i++) {
      outcomes.add(rules.batchRules().get(i).evaluate(values, batchOffsets.get(i), distinct, now));
    }
    outcomes.add(SchemaDriftPolicy.outcome(drift, policy));

    String silver = storage.silver(spec.name());
    QualityLog quality = new QualityLog(spark, storage.system(QualityLog.TABLE));
    List<RuleOutcome> errors = outcomes.stream().filter(o -> !o.passed() && o.severity() == Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      long qualityVersion = quality.recordRefused(key, DeltaTables.version(spark, silver), distinct, outcomes, now);
      throw Errors.dataQuality("Cannot validate batch " + key.batchId() + " of " + spec.name() + ": "
          + errors.size() + " rule(s) of severity error failed: " + String.join("; ", errors.stream()
              .map(o -> o.rule() + ": " + o.message()).toList()) + ". Nothing of the batch reached silver; the report "
          + "is in _mlcycle/quality (version " + qualityVersion + "). Fix the data and re-ingest it, or change "
          + "the rule's severity in pipeline.quality.rules.");
    }
    long quarantineVersion = quarantined == 0 ? DeltaTables.version(spark, storage.quarantine(spec.name()))
        : new QuarantineWriter(storage.quarantine(spec.name())).write(annotated.where(col(RowAnnotation.DROPPED)), key,
            to_json(struct(columns.rawColumns(extras))), annotation.reasons(), now);
    long silverVersion = Steps.timed(LOG, "validate " + key.batchId() + ": write silver", () -> DeltaTables.appendOnce(
        columns.silverRows(annotated.where(silverRow), key, extras), silver, key.batchAppId(), columns.silverOptions(extras)));
    long silverRows = distinct - quarantined;
    Steps.timed(LOG, "validate " + key.batchId() + ": write quality report and profile", () -> {
      quality.recordCommitted(key, silverVersion, distinct, outcomes, now);
      return new ProfileLog(spark, storage.system(ProfileLog.TABLE)).record(key, silverVersion,
          profiler.rows(values, profileOffset, silverRows), now);
    });

    Map<String, Long> failed = new LinkedHashMap<>();
    outcomes.stream().filter(o -> !o.passed()).forEach(o -> failed.put(o.rule(), o.failedRows()));
    List<String> warnings = outcomes.stream().filter(o -> !o.passed() && o.severity() == Severity.WARN)
        .map(o -> o.rule() + ": " + o.message()).toList();
    LOG.info("validate {} batch {}: {} rows in, {} to silver (v{}), {} quarantined, {} duplicates, {} warnings",
        spec.name(), key.batchId(), rowsIn, silverRows, silverVersion, quarantined, duplicates, warnings.size());
    return new ValidateResult(key.batchId(), true, rowsIn, silverRows, quarantined, duplicates, silverVersion,
        quarantineVersion, failed, warnings, "validated batch " + key.batchId() + ": " + silverRows + " rows to silver, "
        + quarantined + " quarantined, " + duplicates + " duplicates");
  }

}
