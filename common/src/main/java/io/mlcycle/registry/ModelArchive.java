package io.mlcycle.registry;

import io.mlcycle.base.Errors;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _mlcycle/model_archive}: the registered versions released from retention. An archived version
 * stays in the registry, but {@code mlcycle vacuum} no longer keeps the table versions its lineage names,
 * nor its model folder. The champion and the challenger cannot be archived. Archiving is once per version:
 * a repeat writes nothing.
 */
public final class ModelArchive {
  public static final String TABLE = "model_archive";

  static final StructType SCHEMA = new StructType()
      .add("name", DataTypes.StringType, false).add("version", DataTypes.IntegerType, false)
      .add("archived_at", DataTypes.TimestampType, false).add("archived_by", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false).add("run_id", DataTypes.StringType, false);

  private final SparkSession spark;
  private final Storage storage;

  public ModelArchive(SparkSession spark, Storage storage) {
    this.spark = spark;
    this.storage = storage;
  }

  /** Archives {@code name} version {@code number}; exit 2 for an unknown version or one holding an alias. */
  public long archive(String name, int number, String reason, String user, String runId, Instant now) {
    ModelRegistry registry = new ModelRegistry(spark, storage);
    registry.required(name, number, "archive " + name + ":" + number);
    for (Map.Entry<String, Integer> alias : registry.aliases(name).entrySet()) {
      if (alias.getValue() == number) {
        throw Errors.usage("Cannot archive " + name + ":" + number + ": it is the " + alias.getKey() + ". Promote "
            + "or roll back another version first (mlcycle promote --version N, mlcycle rollback).");
      }
    }
    Row row = RowFactory.create(name, number, Timestamp.from(now), user, reason, runId);
    return DeltaTables.appendOnce(spark.createDataFrame(List.of(row), SCHEMA), storage.system(TABLE),
        "archive/" + name + "/" + number);
  }

  /** The archived versions of {@code name}. */
  public Set<Integer> archived(String name) {
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return Set.of();
    }
    Set<Integer> versions = new TreeSet<>();
    spark.read().format("delta").load(path).where(functions.col("name").equalTo(name)).select("version")
        .collectAsList().forEach(r -> versions.add(r.getInt(0)));
    return versions;
  }
}
