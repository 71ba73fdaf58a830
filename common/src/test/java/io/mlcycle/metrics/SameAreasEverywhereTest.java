package io.mlcycle.metrics;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.evaluation.Cell;
import io.mlcycle.evaluation.EvaluationCells;
import io.mlcycle.evaluation.EvaluationMetrics;
import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.monitoring.RealisedPerformance;
import io.mlcycle.testing.SparkTest;
import io.mlcycle.training.HeldOutMetrics;
import io.mlcycle.metrics.Task;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same scored rows through the three places that rank: the training holdout ({@link HeldOutMetrics}),
 * evaluation ({@link EvaluationCells} → {@link EvaluationMetrics}, whole holdout and slices) and realised
 * performance on late labels ({@link RealisedPerformance}) report the same ROC area, and the same PR area
 * where they report one. The scores have ties (rounded probabilities) and extremes (0, 1, 1e-20).
 */
class SameAreasEverywhereTest extends SparkTest {
  private static final int ROWS = 3000;
  private static final Timestamp AT = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
  private static Dataset<Row> scored;
  private static Map<String, Map<String, Double>> evaluation;

  @BeforeAll
  static void scoreRows() {
    SplittableRandom random = new SplittableRandom(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      double label = random.nextDouble() < 0.3 ? 1 : 0;
      double z = 1.2 * label - 0.8 + random.nextDouble() * 2.5 - random.nextDouble() * 2.5;
      double p = 1 / (1 + Math.exp(-z));
      double probability = switch (i % 10) {
        case 0 -> Math.round(p * 20) / 20.0;
        case 1 -> i % 3 == 0 ? 0.0 : i % 3 == 1 ? 1.0 : 1e-20;
        default -> p;
      };
      rows.add(row("r" + i, label, probability, probability >= 0.5 ? 1.0 : 0.0, "part" + i % 3, (long) i));
    }
    StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.DoubleType)
        .add("probability", DataTypes.DoubleType).add("prediction", DataTypes.DoubleType)
        .add("part", DataTypes.StringType).add("hash", DataTypes.LongType);
    scored = spark().createDataFrame(rows, schema).cache();
    evaluation = evaluation();
  }

  private static HeldOutMetrics.Metrics training(Dataset<Row> rows) {
    return HeldOutMetrics.ofScores(rows, "probability", "label");
  }

  private static Map<String, Map<String, Double>> evaluation() {
    Dataset<Row> input = scored.select(col("label").as(EvaluationCells.LABEL),
        col("probability").as(EvaluationCells.CANDIDATE), col("probability").as(EvaluationCells.CHAMPION),
        col("hash").as(EvaluationCells.ROW_HASH), col("part"));
    List<Cell> cells = EvaluationCells.of(input, Task.BINARY, 0.5, 0.5, List.of("part"));
    Map<String, Map<String, Double>> byScope = new TreeMap<>();
    for (String scope : cells.stream().map(Cell::scope).distinct().toList()) {
      byScope.put(scope, EvaluationMetrics.of(Task.BINARY, cells.stream().filter(c -> c.scope().equals(scope)).toList(),
          null, EvaluationMetrics.Side.CANDIDATE, new EvaluationSpec.Business(0, 0, 0)));
    }
    return byScope;
  }

  private static double realised() {
    Dataset<Row> predictions = scored.select(col("id"), col("probability"), col("prediction"))
        .withColumn("model_version", functions.lit(1))
        .withColumn("role", functions.lit("champion"))
        .withColumn("scored_at", functions.lit(AT));
    Dataset<Row> labels = scored.select(col("id"), col("label"))
        .withColumn(RealisedPerformance.ARRIVED_AT, functions.lit(AT));
    return new RealisedPerformance(Task.BINARY, List.of("id"), "label", List.of(), 1, 1).measure(predictions, labels)
        .versions().get(0).metric(Metric.AREA_UNDER_ROC.id());
  }

  @Test
  void trainingEvaluationAndRealisedPerformanceReportTheSameAreas() {
    HeldOutMetrics.Metrics training = training(scored);
    Map<String, Double> whole = evaluation.get(EvaluationCells.ALL);
    assertEquals(training.areaUnderRoc(), whole.get("areaUnderROC"), 1e-12);
    assertEquals(training.areaUnderPr(), whole.get("areaUnderPR"), 1e-12);
    assertEquals(training.areaUnderRoc(), realised(), 1e-12);
    assertEquals(ROWS, training.rows());

    double exact = new BinaryClassificationEvaluator().setLabelCol("label").setRawPredictionCol("probability")
        .setNumBins(0).evaluate(scored);
    assertEquals(exact, training.areaUnderRoc(), 1e-3, "exact up to ties within a bin");
    assertTrue(training.areaUnderRoc() > 0.6, "the scores rank: " + training.areaUnderRoc());
  }

  @Test
  void aSliceHasTheAreasTrainingGivesItsRows() {
    for (String part : List.of("part0", "part1", "part2")) {
      HeldOutMetrics.Metrics training = training(scored.filter(col("part").equalTo(part)));
      Map<String, Double> slice = evaluation.get(EvaluationCells.slice("part", part));
      assertEquals(training.areaUnderRoc(), slice.get("areaUnderROC"), 1e-12, part);
      assertEquals(training.areaUnderPr(), slice.get("areaUnderPR"), 1e-12, part);
    }
  }

  @Test
  void sparkAndJavaPutEveryScoreInTheSameBin() {
    List<Row> bins = scored.select(col("probability"), RankingAreas.bin(col("probability"))).collectAsList();
    for (Row r : bins) {
      assertEquals(RankingAreas.bin(RankingAreas.logOdds(r.getDouble(0))), r.getInt(1), "probability " + r.get(0));
    }
  }
}
