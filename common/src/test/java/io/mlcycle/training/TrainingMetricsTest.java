package io.mlcycle.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mlcycle.evaluation.Cell;
import io.mlcycle.evaluation.EvaluationCells;
import io.mlcycle.evaluation.EvaluationMetrics;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import io.mlcycle.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** A metric name means the same in training (scored rows) and in evaluation (cells): one kernel. */
class TrainingMetricsTest extends SparkTest {
  /** Predicted × actual × rows: class 0 P=R=5/6; class 1 P=.75 R=1; class 2 P=1 R=.5 (as EvaluationMetricsTest). */
  private static final int[][] PREDICTED_ACTUAL_ROWS = {{0, 0, 5}, {1, 0, 1}, {1, 1, 3}, {2, 2, 1}, {0, 2, 1}};

  private static Dataset<Row> scored() {
    List<Row> rows = new ArrayList<>();
    for (int[] cell : PREDICTED_ACTUAL_ROWS) {
      for (int i = 0; i < cell[2]; i++) {
        double[] probability = {0.1, 0.1, 0.1};
        probability[cell[0]] = 0.8;
        rows.add(row((double) cell[0], (double) cell[1], Vectors.dense(probability)));
      }
    }
    StructType schema = new StructType().add("prediction", DataTypes.DoubleType)
        .add(ModelTrainer.LABEL, DataTypes.DoubleType).add("probability", new VectorUDT());
    return spark().createDataFrame(rows, schema);
  }

  @Test
  void multiclassHoldoutNamesItsF1sAndAgreesWithEvaluation() {
    Map<String, Double> training = TrainingMetrics.of(scored(), Task.MULTICLASS);
    List<Cell> cells = new ArrayList<>();
    for (int[] cell : PREDICTED_ACTUAL_ROWS) {
      cells.add(new Cell(EvaluationCells.ALL, cell[0], 0, cell[1], cell[2], new double[6]));
    }
    Map<String, Double> evaluation = EvaluationMetrics.of(Task.MULTICLASS, cells, null,
        EvaluationMetrics.Side.CANDIDATE, new EvaluationSpec.Business(0, 0, 0));

    double f0 = 5.0 / 6;
    double f1 = 2 * 0.75 / 1.75;
    double f2 = 2.0 / 3;
    assertEquals((6 * f0 + 3 * f1 + 2 * f2) / 11, training.get(Metric.WEIGHTED_F1.id()), 1e-12);
    assertEquals(evaluation.get(Metric.WEIGHTED_F1.id()), training.get(Metric.WEIGHTED_F1.id()), 1e-12);
    assertEquals((f0 + f1 + f2) / 3, training.get(Metric.MACRO_F1.id()), 1e-12);
    assertEquals(evaluation.get(Metric.MACRO_F1.id()), training.get(Metric.MACRO_F1.id()), 1e-12);
    assertEquals(evaluation.get(Metric.ACCURACY.id()), training.get(Metric.ACCURACY.id()), 1e-12);
    assertEquals((9 * -Math.log(0.8) + 2 * -Math.log(0.1)) / 11, training.get(Metric.LOG_LOSS.id()), 1e-12,
        "log loss of the label's class: 9 rows predicted right at 0.8, 2 wrong with 0.1 on the label");
    assertEquals(11, training.get(Metric.ROWS.id()));
    assertFalse(training.containsKey("f1"), "multiclass F1 is macroF1 or weightedF1, never f1: " + training);
  }
}
