package io.mlcycle.registry;

import static org.apache.spark.sql.functions.col;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.base.Errors;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The model registry in Delta: {@code _mlcycle/models} (versions numbered per model name, each pointing at
 * its immutable model folder, run and lineage) and {@code _mlcycle/model_aliases} (every move of the
 * {@code champion} and {@code challenger} aliases, with time, user, reason and the previous holder; the
 * holder of an alias is its latest move).
 *
 * <p>Numbers are handed out by optimistic concurrency: a registration commits version n with the Delta
 * application id {@code <name>/v<n>}; Delta fails the second of two concurrent commits that claim the same
 * id, and that writer retries with n + 1. Registering is idempotent per run id, and an alias move —
 * possibly several aliases in one commit — is one transaction claiming the next move number the same way.
 */
public final class ModelRegistry {
  public static final String MODELS = "models";
  public static final String ALIASES = "model_aliases";
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";
  private static final int ATTEMPTS = 20;

  static final StructType MODELS_SCHEMA = new StructType()
      .add("name", DataTypes.StringType, false).add("version", DataTypes.IntegerType, false)
      .add("run_id", DataTypes.StringType, false).add("model_path", DataTypes.StringType, false)
      .add("registered_at", DataTypes.TimestampType, false).add("registered_by", DataTypes.StringType, false)
      .add("evaluation_run_id", DataTypes.StringType, true).add("decision", DataTypes.StringType, true)
      .add("lineage", DataTypes.StringType, true).add("metrics", DataTypes.StringType, true)
      .add("manifest_sha256", DataTypes.StringType, true);
  static final StructType ALIASES_SCHEMA = new StructType()
      .add("name", DataTypes.StringType, false).add("alias", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, true).add("previous_version", DataTypes.IntegerType, true)
      .add("moved_at", DataTypes.TimestampType, false).add("moved_by", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false).add("run_id", DataTypes.StringType, false)
      .add("seq", DataTypes.LongType, false);

  private final SparkSession spark;
  private final Storage storage;
  /** Rows last read per table and model, with the table version they were read at. */
  private final Map<String, Map.Entry<Long, List<Row>>> read = new java.util.concurrent.ConcurrentHashMap<>();

  public ModelRegistry(SparkSession spark, Storage storage) {
    this.spark = spark;
    this.storage = storage;
  }

  /**
   * One registered version: its model folder under this storage root, and the SHA-256 of the model's manifest
   * when registered (empty for versions registered before it was recorded), which loading checks.
   */
  public record Version(String name, int version, String runId, String modelPath, Timestamp registeredAt,
                        String registeredBy, String evaluationRunId, String decision,
                        Optional<String> manifestSha256) {}

  /** One alias move; {@code version} null means the alias was cleared. */
  public record AliasMove(String name, String alias, Integer version, Integer previousVersion, Timestamp movedAt,
                          String movedBy, String reason, String runId, long seq) {}

  /**
   * What to register: the run's model (its folder relative to the storage root, {@link Storage#modelLocation},
   * and {@link ModelArtifact#manifestSha256}) and the evaluation that decided about it.
   */
  public record Registration(String name, String runId, String modelLocation, String evaluationRunId,
                             String decision, String lineageJson, String metricsJson, String manifestSha256) {}

  /** A change of one alias, part of a move. */
  public record AliasChange(String alias, Integer version) {}

  /**
   * Registers the run's model, or returns the version it already has: a retried evaluation never creates
   * a second version. Concurrent registrations get distinct versions.
   */
  public int register(Registration registration, String user, Instant now) {
    String path = storage.system(MODELS);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      List<Version> versions = versions(registration.name());
      Optional<Version> existing = versions.stream().filter(v -> v.runId().equals(registration.runId())).findFirst();
      if (existing.isPresent()) {
        return existing.get().version();
      }
      int next = versions.stream().mapToInt(Version::version).max().orElse(0) + 1;
      Row row = RowFactory.create(registration.name(), next, registration.runId(), registration.modelLocation(),
          Timestamp.from(now), user, registration.evaluationRunId(), registration.decision(),
          registration.lineageJson(), registration.metricsJson(), registration.manifestSha256());
      try {
        // Merged: a registry written before manifest_sha256 takes the column on its next registration.
        DeltaTables.appendOnce(spark.createDataFrame(List.of(row), MODELS_SCHEMA), path,
            registration.name() + "/v" + next, Map.of("mergeSchema", "true"));
      } catch (DeltaConcurrentModificationException e) {
        continue;
      }
      Optional<Version> mine = versions(registration.name()).stream()
          .filter(v -> v.runId().equals(registration.runId())).findFirst();
      if (mine.isPresent()) {
        return mine.get().version();
      }
    }
    throw new IllegalStateException("Cannot register " + registration.name() + " run " + registration.runId()
        + ": " + ATTEMPTS + " attempts lost to concurrent registrations");
  }

  /**
   * A model's rows of a registry table, ordered; read again only when the table has a new version (looking
   * that up costs no Spark job), so the several lookups of one job read each table once.
   */
  private List<Row> rows(String table, String name, String... order) {
    String path = storage.system(table);
    long version = DeltaTables.version(spark, path);
    if (version == DeltaTables.NO_TABLE) {
      return List.of();
    }
    Map.Entry<Long, List<Row>> cached = read.get(table + "/" + name);
    if (cached != null && cached.getKey() == version) {
      return cached.getValue();
    }
    List<Row> rows = spark.read().format("delta").option("versionAsOf", version).load(path)
        .where(col("name").equalTo(name)).orderBy(order[0], java.util.Arrays.copyOfRange(order, 1, order.length))
        .collectAsList();
    read.put(table + "/" + name, Map.entry(version, rows));
    return rows;
  }

  /** Every version of a model, oldest first. */
  public List<Version> versions(String name) {
    List<Version> versions = new ArrayList<>();
    for (Row r : rows(MODELS, name, "version")) {
      versions.add(new Version(r.getString(0), r.getInt(1), r.getString(2), storage.resolve(r.getString(3)),
          r.getTimestamp(4), r.getString(5), r.getString(6), r.getString(7),
          List.of(r.schema().fieldNames()).contains("manifest_sha256")
              ? Optional.ofNullable(r.getString(r.fieldIndex("manifest_sha256"))) : Optional.empty()));
    }
    return versions;
  }

  public Optional<Version> version(String name, int number) {
    return versions(name).stream().filter(v -> v.version() == number).findFirst();
  }

  /**
   * Version {@code number} of {@code name}, or exit 2 saying "Cannot {@code doing}: there is no such version"
   * with the versions there are.
   */
  public Version required(String name, int number, String doing) {
    return version(name, number).orElseThrow(() -> Errors.usage("Cannot " + doing + ": there is no such version. "
        + "The versions of " + name + " are " + versions(name).stream().map(Version::version).toList()
        + " (see 'mlcycle models')."));
  }

  /** Every alias move of a model, oldest first. */
  public List<AliasMove> history(String name) {
    List<AliasMove> moves = new ArrayList<>();
    for (Row r : rows(ALIASES, name, "seq", "alias")) {
      moves.add(new AliasMove(r.getString(0), r.getString(1), (Integer) r.get(2), (Integer) r.get(3),
          r.getTimestamp(4), r.getString(5), r.getString(6), r.getString(7), r.getLong(8)));
    }
    return moves;
  }

  /** The current holder of every alias that has one: alias → version. */
  public Map<String, Integer> aliases(String name) {
    return current(history(name));
  }

  public Optional<Version> holder(String name, String alias) {
    Integer number = aliases(name).get(alias);
    return number == null ? Optional.empty() : version(name, number);
  }

  /**
   * Moves aliases in one commit (e.g. champion → 3 and challenger cleared), each recorded with the previous
   * holder and the reason. A concurrent move makes this one re-read the holders and retry. Returns the
   * moves written; a change to the alias's current holder is left out, and no change at all writes nothing.
   */
  public List<AliasMove> move(String name, List<AliasChange> changes, String reason, String user, String runId,
                              Instant now) {
    String path = storage.system(ALIASES);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      List<AliasMove> history = history(name);
      Map<String, Integer> holders = current(history);
      long seq = history.stream().mapToLong(AliasMove::seq).max().orElse(0) + 1;
      List<AliasMove> moves = new ArrayList<>();
      for (AliasChange change : changes) {
        Integer previous = holders.get(change.alias());
        if (java.util.Objects.equals(previous, change.version())) {
          continue;
        }
        moves.add(new AliasMove(name, change.alias(), change.version(), previous, Timestamp.from(now), user, reason,
            runId, seq));
      }
      if (moves.isEmpty()) {
        return moves;
      }
      List<Row> rows = moves.stream().map(m -> RowFactory.create(m.name(), m.alias(), m.version(),
          m.previousVersion(), m.movedAt(), m.movedBy(), m.reason(), m.runId(), m.seq())).toList();
      try {
        DeltaTables.appendOnce(spark.createDataFrame(rows, ALIASES_SCHEMA), path, name + "/move-" + seq);
      } catch (DeltaConcurrentModificationException e) {
        continue;
      }
      boolean landed = history(name).stream().anyMatch(m -> m.seq() == seq && m.runId().equals(runId));
      if (landed) {
        return moves;
      }
    }
    throw new IllegalStateException("Cannot move the aliases of " + name + ": " + ATTEMPTS
        + " attempts lost to concurrent moves");
  }

  /**
   * The champion before the current one: the previous holder recorded by the current champion's move.
   * Fails (exit 2) when there is none.
   */
  public int previousChampion(String name) {
    List<AliasMove> champions = history(name).stream().filter(m -> m.alias().equals(CHAMPION)).toList();
    if (champions.isEmpty() || champions.get(champions.size() - 1).previousVersion() == null) {
      throw Errors.usage("Cannot roll back " + name + ": it has no previous champion"
          + (champions.isEmpty() ? " (it has no champion at all)" : "") + ". See 'mlcycle models'; promote a"
          + " version with 'mlcycle promote --version N' instead.");
    }
    return champions.get(champions.size() - 1).previousVersion();
  }

  public String modelsPath() {
    return storage.system(MODELS);
  }

  public String aliasesPath() {
    return storage.system(ALIASES);
  }

  private static Map<String, Integer> current(List<AliasMove> history) {
    Map<String, Integer> holders = new LinkedHashMap<>();
    for (AliasMove move : history) {
      if (move.version() == null) {
        holders.remove(move.alias());
      } else {
        holders.put(move.alias(), move.version());
      }
    }
    return holders;
  }
}
