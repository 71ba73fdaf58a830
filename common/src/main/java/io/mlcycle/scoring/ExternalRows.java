package io.mlcycle.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.features.StoredDefinitions;
import io.mlcycle.io.DeltaTables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Rows to score from outside silver (score --input), given silver's shape. */
final class ExternalRows {
  private final SparkSession spark;
  private final StoredDefinitions definitions;

  ExternalRows(SparkSession spark, StoredDefinitions definitions) {
    this.spark = spark;
    this.definitions = definitions;
  }

  /**
   * The table's rows (Delta, or Parquet) in silver's shape: checked first against every arm's feature
   * definitions (exit 2 naming the feature and the missing column), then given silver's columns and types,
   * with {@code batchId} as their batch.
   */
  Dataset<Row> aligned(String input, Dataset<Row> silver, String batchId, List<BatchScorer.Arm> arms) {
    Dataset<Row> rows = DeltaTables.exists(spark, input) ? spark.read().format("delta").load(input)
        : spark.read().parquet(input);
    for (BatchScorer.Arm arm : arms) {
      FeaturePipeline.create(spark, definitions.of(arm.features()), rows.schema(), input, arm.features().folding());
    }
    List<String> present = List.of(rows.columns());
    List<Column> aligned = new ArrayList<>();
    for (var field : silver.schema().fields()) {
      Column value = field.name().equals(FeaturePipeline.BATCH_ID) ? lit(batchId)
          : present.contains(field.name()) ? col(field.name()) : lit(null);
      aligned.add(value.cast(field.dataType()).as(field.name()));
    }
    return rows.select(aligned.toArray(Column[]::new));
  }
}
