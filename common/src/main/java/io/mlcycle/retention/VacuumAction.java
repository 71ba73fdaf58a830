package io.mlcycle.retention;

import io.delta.tables.DeltaTable;
import io.mlcycle.base.Errors;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelArchive;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.tracking.TrackingTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vacuum stage: "every Delta table under the storage root → the oldest version each must keep for the
 * registered, non-archived model versions' lineage → refuse when the retention asked for would lose it →
 * Delta VACUUM of each table, and the model folders of archived versions removed".
 *
 * <p>A table version stays readable while every file it lists is there. Delta's VACUUM deletes a file once
 * the commit that replaced it is older than the retention; so keeping version v of a table needs a retention
 * of at least the age of commit v + 1. Every version a kept model's lineage names (its feature-table and
 * silver versions) is kept that way, or the vacuum is refused before it deletes anything (exit 2, naming the
 * model and what to do). Predictions not yet monitored are rows of the current version, which no vacuum
 * touches.
 */
public final class VacuumAction {
  private static final Logger LOG = LoggerFactory.getLogger(VacuumAction.class);
  private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
  /** Delta lists a table's files with this many tasks: 10,000 by default, thousands of empty tasks on one machine. */
  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  private final StageRuntime runtime;

  public VacuumAction(StageRuntime runtime) {
    this.runtime = runtime;
  }

  /** One table: its latest version, the oldest version kept for a model (or -1), and the files that go. */
  public record TablePlan(String table, long latest, long keptFor, String keptBy, List<String> files) {}

  /** What the vacuum removed (or, in a dry run, would remove). */
  public record Outcome(double retainHours, boolean dryRun, List<TablePlan> tables, List<String> modelFolders) {
    public long files() {
      return tables.stream().mapToLong(t -> t.files().size()).sum();
    }
  }

  /** A version of a table that a model version's lineage names. */
  private record Need(long version, String model) {}

  public Outcome execute(double retainHours, boolean dryRun) {
    if (retainHours < 0 || Double.isNaN(retainHours)) {
      throw Errors.usage("Cannot vacuum with --retain " + retainHours + ": the retention is a number of hours, 0 or"
          + " more.");
    }
    SparkSession spark = runtime.spark();
    Map<String, List<Need>> needs = new TreeMap<>();
    List<String> archivedFolders = new ArrayList<>();
    kept(needs, archivedFolders);
    List<String> tables = tables();
    List<String> refusals = new ArrayList<>();
    Map<String, Need> oldest = new LinkedHashMap<>();
    for (String table : tables) {
      List<Need> tableNeeds = needs.getOrDefault(table, List.of());
      Optional<Need> first = tableNeeds.stream().min(Comparator.comparingLong(Need::version));
      if (first.isEmpty()) {
        continue;
      }
      oldest.put(table, first.get());
      long latest = DeltaTables.version(spark, runtime.storage().path(table));
      if (first.get().version() >= latest) {
        continue;
      }
      Row next = DeltaTable.forPath(spark, runtime.storage().path(table)).history()
          .where(functions.col("version").equalTo(first.get().version() + 1)).select("timestamp").first();
      double age = (runtime.clock().millis() - ((Timestamp) next.get(0)).getTime()) / 3_600_000.0;
      double needed = Math.ceil(Math.max(age, 0) + 1e-9);
      if (retainHours < needed) {
        refusals.add(first.get().model() + " needs version " + first.get().version() + " of " + table
            + ", whose files a commit " + String.format("%.1f", age) + " hours old replaced (keeping them needs"
            + " --retain " + (long) needed + " or more)");
      }
    }
    if (!refusals.isEmpty()) {
      throw Errors.usage("Cannot vacuum with --retain " + retainHours + " hours: " + String.join("; ", refusals)
          + ". Retain longer, or release a version with 'mlcycle models --archive NAME:VERSION' (never the champion"
          + " or challenger).");
    }
    List<TablePlan> plans = new ArrayList<>();
    String previousCheck = spark.conf().get(RETENTION_CHECK, "true");
    String previousParallelism = spark.conf().get(LISTING_PARALLELISM, "10000");
    // mlcycle checked above what the retention may remove; Delta's own check only knows its 7-day default.
    spark.conf().set(RETENTION_CHECK, "false");
    spark.conf().set(LISTING_PARALLELISM, Integer.toString(spark.sparkContext().defaultParallelism()));
    try {
      for (String table : tables) {
        plans.add(vacuum(table, retainHours, dryRun, Optional.ofNullable(oldest.get(table))));
      }
    } finally {
      spark.conf().set(RETENTION_CHECK, previousCheck);
      spark.conf().set(LISTING_PARALLELISM, previousParallelism);
    }
    if (!dryRun) {
      archivedFolders.forEach(this::delete);
    }
    return new Outcome(retainHours, dryRun, plans, archivedFolders);
  }

  private TablePlan vacuum(String table, double retainHours, boolean dryRun, Optional<Need> kept) {
    SparkSession spark = runtime.spark();
    String path = runtime.storage().path(table);
    String statement = "VACUUM delta.`" + path.replace("`", "``") + "` RETAIN " + retainHours + " HOURS";
    List<String> files = spark.sql(statement + " DRY RUN").collectAsList().stream().map(r -> r.getString(0)).toList();
    if (!dryRun && !files.isEmpty()) {
      spark.sql(statement).collect();
      LOG.info("vacuum: {} files of {} removed", files.size(), table);
    }
    return new TablePlan(table, DeltaTables.version(spark, path), kept.map(Need::version).orElse(-1L),
        kept.map(Need::model).orElse(""), files);
  }

  /** The table versions the non-archived versions of every registered model need, and the archived folders. */
  private void kept(Map<String, List<Need>> needs, List<String> archivedFolders) {
    SparkSession spark = runtime.spark();
    String models = runtime.storage().system(ModelRegistry.MODELS);
    if (!DeltaTables.exists(spark, models)) {
      return;
    }
    ModelRegistry registry = new ModelRegistry(spark, runtime.storage());
    TrackingTables tracking = new TrackingTables(spark, runtime.storage());
    List<String> names = spark.read().format("delta").load(models).select("name").distinct().collectAsList()
        .stream().map(r -> r.getString(0)).sorted().toList();
    for (String name : names) {
      java.util.Set<Integer> archived = new ModelArchive(spark, runtime.storage()).archived(name);
      for (ModelRegistry.Version version : registry.versions(name)) {
        if (archived.contains(version.version())) {
          if (exists(new Path(version.modelPath()))) {
            archivedFolders.add(version.modelPath());
          }
          continue;
        }
        tracking.lineage(name, version.runId()).getOrDefault("table", Map.of()).forEach((table, number) ->
            needs.computeIfAbsent(table, t -> new ArrayList<>())
                .add(new Need(Long.parseLong(number), name + ":" + version.version() + " (run " + version.runId() + ")")));
      }
    }
  }

  /** Every Delta table under the root, by its path relative to the root: top-level folders and one level below. */
  private List<String> tables() {
    List<String> tables = new ArrayList<>();
    Path root = new Path(runtime.storage().root());
    try {
      if (!exists(root)) {
        return tables;
      }
      for (FileStatus top : fileSystem().listStatus(root)) {
        if (!top.isDirectory() || top.getPath().getName().equals("models")) {
          continue;
        }
        if (exists(new Path(top.getPath(), "_delta_log"))) {
          tables.add(top.getPath().getName());
          continue;
        }
        for (FileStatus child : fileSystem().listStatus(top.getPath())) {
          if (child.isDirectory() && exists(new Path(child.getPath(), "_delta_log"))) {
            tables.add(top.getPath().getName() + "/" + child.getPath().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the tables under " + root, e);
    }
    return tables.stream().sorted().toList();
  }

  private void delete(String folder) {
    try {
      fileSystem().delete(new Path(folder), true);
      LOG.info("vacuum: removed the model folder {} (archived)", folder);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove the model folder " + folder, e);
    }
  }

  private boolean exists(Path path) {
    try {
      return fileSystem().exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look for " + path, e);
    }
  }

  private FileSystem fileSystem() {
    try {
      return new Path(runtime.storage().root()).getFileSystem(runtime.spark().sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the storage root " + runtime.storage().root(), e);
    }
  }
}
