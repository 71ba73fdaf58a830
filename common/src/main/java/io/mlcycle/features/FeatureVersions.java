package io.mlcycle.features;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code _mlcycle/feature_versions} table: every feature version of every pipeline. */
public final class FeatureVersions {
  public static final String TABLE = "feature_versions";

  static final StructType SCHEMA = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("feature_version", DataTypes.IntegerType, false)
      .add("feature_hash", DataTypes.StringType, false)
      .add("previous_hash", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false)
      .add("definition", DataTypes.StringType, false)
      .add("categories", DataTypes.StringType, false)
      .add("category_other", DataTypes.StringType, false)
      .add("silver_version", DataTypes.LongType, false)
      .add("features_table_version", DataTypes.LongType, false)
      .add("training_rows", DataTypes.LongType, false)
      .add("training_batches", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("training_start", DataTypes.TimestampType, true)
      .add("training_end", DataTypes.TimestampType, true)
      .add("run_id", DataTypes.StringType, false)
      .add("created_at", DataTypes.TimestampType, false);

  private FeatureVersions() {}

  /** The newest version of the dataset's features, if any; one small Spark job. */
  public static Optional<FeatureVersion> latest(SparkSession spark, Storage storage, String dataset) {
    return select(spark, storage, functions.col("dataset").equalTo(dataset));
  }

  /** The version with the given hash, e.g. the one a model was trained on. */
  public static Optional<FeatureVersion> withHash(SparkSession spark, Storage storage, String dataset, String hash) {
    return select(spark, storage, functions.col("dataset").equalTo(dataset).and(functions.col("feature_hash").equalTo(hash)));
  }

  private static Optional<FeatureVersion> select(SparkSession spark, Storage storage, org.apache.spark.sql.Column where) {
    String path = storage.system(TABLE);
    if (!DeltaTables.exists(spark, path)) {
      return Optional.empty();
    }
    List<Row> rows = spark.read().format("delta").load(path).where(where)
        .orderBy(functions.col("feature_version").desc()).limit(1).collectAsList();
    return rows.stream().findFirst().map(FeatureVersions::fromRow);
  }

  /** Appends the version exactly once (a retry of the same build writes nothing); returns the table version. */
  public static long record(SparkSession spark, Storage storage, FeatureVersion v) {
    Row row = RowFactory.create(v.dataset(), v.version(), v.hash(), v.previousHash().orElse(null), v.reason(),
        v.definition(), v.categories(), v.other(), v.silverVersion(), v.featuresTableVersion(), v.trainingRows(),
        scala.jdk.javaapi.CollectionConverters.asScala(v.trainingBatches()).toSeq(), v.trainingStart(),
        v.trainingEnd(), v.runId(), v.createdAt());
    Dataset<Row> rows = spark.createDataFrame(List.of(row), SCHEMA);
    return DeltaTables.appendOnce(rows, storage.system(TABLE),
        "feature_versions/" + v.dataset() + "/" + v.hash() + "/" + v.featuresTableVersion());
  }

  private static FeatureVersion fromRow(Row r) {
    return new FeatureVersion(r.getString(0), r.getInt(1), r.getString(2), Optional.ofNullable(r.getString(3)),
        r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getLong(8), r.getLong(9), r.getLong(10),
        r.getList(11), r.getTimestamp(12), r.getTimestamp(13), r.getString(14), r.getTimestamp(15));
  }
}
