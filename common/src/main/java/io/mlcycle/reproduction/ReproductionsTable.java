package io.mlcycle.reproduction;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import io.mlcycle.spark.RuntimeVersions;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _mlcycle/reproductions}: one row per reproduction of a model version — when, by which run, the
 * verdict, the items that differ, each item's verdict and largest difference, where the rows came from and
 * the warnings. Appended once per (model, version, reproducing run): a rerun of the same reproduce run
 * writes nothing twice.
 */
public final class ReproductionsTable {
  public static final String TABLE = "reproductions";

  private static final StructType ITEM = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("verdict", DataTypes.StringType, false)
      .add("values", DataTypes.IntegerType, false)
      .add("largest_difference", DataTypes.DoubleType, true)
      .add("detail", DataTypes.StringType, false);

  static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("version", DataTypes.IntegerType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("reproduced_by", DataTypes.StringType, false)
      .add("reproduced_at", DataTypes.TimestampType, false)
      .add("verdict", DataTypes.StringType, false)
      .add("differing", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("items", DataTypes.createArrayType(ITEM, false), false)
      .add("feature_rows", DataTypes.StringType, false)
      .add("warnings", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("mlcycle_version", DataTypes.StringType, false)
      .add("spark_version", DataTypes.StringType, false);

  private ReproductionsTable() {}

  /** Appends the verdict exactly once for this run; returns the table's version. */
  static long record(StageRuntime runtime, Reproduction reproduction) {
    SparkSession spark = runtime.spark();
    List<Row> items = new ArrayList<>();
    for (Reproduction.Item item : reproduction.items()) {
      items.add(RowFactory.create(item.name(), item.verdict().word(), item.values(),
          Double.isNaN(item.largestDifference()) ? null : item.largestDifference(), item.detail()));
    }
    RuntimeVersions versions = RuntimeVersions.of(spark);
    Row row = RowFactory.create(reproduction.model(), reproduction.version(), reproduction.runId(), runtime.runId(),
        Timestamp.from(runtime.clock().instant()), reproduction.verdict().word(),
        reproduction.differing().toArray(String[]::new), items.toArray(Row[]::new), reproduction.featureRows(),
        reproduction.warnings().toArray(String[]::new), versions.mlcycle(), versions.spark());
    String appId = "reproduce/" + reproduction.model() + "/" + reproduction.version() + "/" + reproduction.runId()
        + "/" + runtime.runId();
    return DeltaTables.appendOnce(spark.createDataFrame(List.of(row), SCHEMA), runtime.storage().system(TABLE), appId);
  }
}
