package io.mlcycle.quality;

import io.mlcycle.dataset.BatchKey;
import io.mlcycle.io.DeltaTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Column profiles over time, {@code _mlcycle/profiles}: one row per column and batch, keyed by dataset,
 * batch and the silver version the batch landed in. One commit per batch, exactly once per run.
 */
public final class ProfileLog {
  /** {@code _mlcycle/profiles}: one row per column and validated batch. */
  public static final String TABLE = "profiles";
  private static final DataType TOP = DataType.fromDDL("array<struct<value:string,count:bigint>>");
  private static final DataType HISTOGRAM = DataType.fromDDL("array<struct<x:double,y:double>>");
  public static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("batch_id", DataTypes.StringType, false)
      .add("table_version", DataTypes.LongType, false)
      .add("column", DataTypes.StringType, false)
      .add("type", DataTypes.StringType, false)
      .add("pii", DataTypes.BooleanType, false)
      .add("rows", DataTypes.LongType, false)
      .add("count", DataTypes.LongType, false)
      .add("nulls", DataTypes.LongType, false)
      .add("approx_distinct", DataTypes.LongType, false)
      .add("min", DataTypes.StringType, true)
      .add("max", DataTypes.StringType, true)
      .add("mean", DataTypes.DoubleType, true)
      .add("stddev", DataTypes.DoubleType, true)
      .add("quantiles", DataTypes.createArrayType(DataTypes.DoubleType), true)
      .add("top_values", TOP, true)
      .add("histogram", HISTOGRAM, true)
      .add("run_id", DataTypes.StringType, false)
      .add("profiled_at", DataTypes.TimestampType, false);

  private final SparkSession spark;
  private final String path;

  public ProfileLog(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  /** Records the profile rows of {@link ColumnProfiler#rows}; returns the profiles table's version. */
  public long record(BatchKey key, long tableVersion, List<Row> profiles, Instant at) {
    List<Row> rows = new ArrayList<>();
    for (Row profile : profiles) {
      List<Object> values = new ArrayList<>(List.of(key.dataset(), key.batchId(), tableVersion));
      for (int i = 0; i < profile.size(); i++) {
        values.add(profile.get(i));
      }
      values.add(key.runId());
      values.add(Timestamp.from(at));
      rows.add(RowFactory.create(values.toArray()));
    }
    return DeltaTables.appendOnce(spark.createDataFrame(rows, SCHEMA).coalesce(1), path, key.reportAppId("profiles"));
  }

  /** Whether the validated batch's profile is in the table. */
  public boolean has(BatchKey key) {
    return DeltaTables.committed(spark, path, key.reportAppId("profiles"));
  }
}
