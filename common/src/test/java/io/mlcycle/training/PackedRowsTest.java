package io.mlcycle.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.metrics.Task;
import io.mlcycle.testing.SparkTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Training packs its rows from the category indices, without MLlib vectors: what it packs must be, row for row,
 * the vector the saved feature stages (one-hot encoder and assembler included) give the same row at scoring.
 */
class PackedRowsTest extends SparkTest {
  private static final TrainingSpec SPEC = new TrainingSpec("packed", Task.BINARY, "logistic-regression", "label",
      List.of("distance", "delay"), List.of("origin", "hour"), Map.of(), "areaUnderROC", 3, 42, "hash", 0.2, false,
      100, 1e-6, 1, 0.98, List.of("id"), "", 8);

  @Test
  void packedRowsHoldTheVectorsTheSavedFeatureStagesAssemble() {
    StructType schema = new StructType().add("distance", DataTypes.DoubleType).add("delay", DataTypes.IntegerType)
        .add("origin", DataTypes.StringType).add("hour", DataTypes.IntegerType)
        .add(ModelTrainer.LABEL, DataTypes.DoubleType).add(ModelTrainer.WEIGHT, DataTypes.DoubleType)
        .add(DataSplit.FOLD, DataTypes.IntegerType);
    // Nulls (numeric: 0; category: a slot of its own), zeros, a frequent and a rare value, weights and folds.
    Dataset<Row> train = spark().createDataFrame(List.of(
        RowFactory.create(120.5, 3, "SFO", 7, 1.0, 1.0, 0),
        RowFactory.create(0.0, -2, "SFO", 7, 0.0, 2.0, 1),
        RowFactory.create(null, 0, "LAX", 9, 0.0, 1.0, 2),
        RowFactory.create(35.0, null, null, 7, 1.0, 0.5, 0),
        RowFactory.create(800.0, 14, "SFO", null, 0.0, 1.0, 1),
        RowFactory.create(15.25, 1, "JFK", 9, 1.0, 1.0, 2)), schema).coalesce(1);
    PipelineModel stages = ModelTrainer.featurePipeline(SPEC).fit(train);
    List<Row> vectors = stages.transform(train).select(ModelTrainer.FEATURES).collectAsList();

    try (TrainingBlocks blocks = ModelTrainer.pack(train, stages, SPEC)) {
      TrainingBlocks.Block block = blocks.rdd().collect().get(0);
      assertEquals(((Vector) vectors.get(0).get(0)).size(), blocks.dimension());
      assertEquals(vectors.size(), block.size);
      for (int i = 0; i < block.size; i++) {
        SparseVector vector = ((Vector) vectors.get(i).get(0)).toSparse();
        assertArrayEquals(vector.indices(), Arrays.copyOfRange(block.index, block.start[i], block.start[i + 1]),
            "slots of row " + i);
        assertArrayEquals(vector.values(), Arrays.copyOfRange(block.value, block.start[i], block.start[i + 1]),
            "values of row " + i);
      }
      assertArrayEquals(new double[] {1, 0, 0, 1, 0, 1}, block.label);
      assertArrayEquals(new double[] {1, 2, 1, 0.5, 1, 1}, block.weight);
      assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, block.fold);
    }
  }
}
