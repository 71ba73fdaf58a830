package io.mlcycle.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mlcycle.evaluation.Cell;
import io.mlcycle.evaluation.EvaluationCells;
import io.mlcycle.evaluation.EvaluationMetrics;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.metrics.Metric;
import io.mlcycle.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** A metric name means the same in training (MLlib) and in evaluation (cells). */
class TrainingMetricsTest extends SparkTest {
  /** Predicted × actual × rows: class 0 P=R=5/6; class 1 P=.75 R=1; class 2 P=1 R=.5 (as EvaluationMetricsTest). */
  private static final int[][] PREDICTED_ACTUAL_ROWS = {{0, 0, 5}, {1, 0, 1}, {1, 1, 3}, {2, 2, 1}, {0, 2, 1}};

  private static Dataset<Row> scored() {
    List<Row> rows = new ArrayList<>();
    for (int[] cell : PREDICTED_ACTUAL_ROWS) {
      for (int i = 0; i < cell[2]; i++) {
        rows.add(row((double) cell[0], (double) cell[1]));
      }
    }
    StructType schema = new StructType().add("prediction", DataTypes.DoubleType)
        .add(ModelTrainer.LABEL, DataTypes.DoubleType);
    return spark().createDataFrame(rows, schema);
  }

  @Test
  void multiclassHoldoutNamesItsF1WeightedAndAgreesWithEvaluation() {
    Map<String, Double> training = TrainingMetrics.holdout(scored(), TrainingSpec.Task.MULTICLASS);
    List<Cell> cells = new ArrayList<>();
    for (int[] cell : PREDICTED_ACTUAL_ROWS) {
      cells.add(new Cell(EvaluationCells.ALL, cell[0], 0, cell[1], cell[2], new double[6]));
    }
    Map<String, Double> evaluation = EvaluationMetrics.of(TrainingSpec.Task.MULTICLASS, cells, null,
        EvaluationMetrics.Side.CANDIDATE, new EvaluationSpec.Business(0, 0, 0));

    double f0 = 5.0 / 6;
    double f1 = 2 * 0.75 / 1.75;
    double f2 = 2.0 / 3;
    assertEquals((6 * f0 + 3 * f1 + 2 * f2) / 11, training.get(Metric.WEIGHTED_F1.id()), 1e-12);
    assertEquals(evaluation.get(Metric.WEIGHTED_F1.id()), training.get(Metric.WEIGHTED_F1.id()), 1e-12);
    assertEquals(evaluation.get(Metric.ACCURACY.id()), training.get(Metric.ACCURACY.id()), 1e-12);
    assertEquals(11, training.get(Metric.ROWS.id()));
    assertFalse(training.containsKey("f1"), "MLlib's f1 is stored as weightedF1: " + training);
    assertThrows(IllegalArgumentException.class,
        () -> TrainingMetrics.mllib(scored(), TrainingSpec.Task.MULTICLASS, Metric.MACRO_F1), "MLlib has no macro F1");
  }
}
