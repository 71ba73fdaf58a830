package io.mlcycle.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.metrics.Task;
import io.mlcycle.testing.SparkTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Late labels joined to predictions: version 1 (champion) scored k1–k6, version 2 (challenger) k1–k2; the
 * labels of k1–k5 arrive 2, 4, 6, 8 and 10 hours after scoring, with those of k9 and k10, which nobody scored.
 */
class RealisedPerformanceTest extends SparkTest {
  private static final Instant SCORED = Instant.parse("2026-01-01T00:00:00Z");

  private Dataset<Row> predictions() {
    StructType schema = new StructType().add("id", DataTypes.StringType).add("probability", DataTypes.DoubleType)
        .add("prediction", DataTypes.DoubleType).add("model_version", DataTypes.IntegerType)
        .add("role", DataTypes.StringType).add("scored_at", DataTypes.TimestampType);
    Timestamp at = Timestamp.from(SCORED);
    return spark().createDataFrame(List.of(
        row("k1", 0.9, 1.0, 1, "champion", at), row("k2", 0.8, 1.0, 1, "champion", at),
        row("k3", 0.6, 1.0, 1, "champion", at), row("k4", 0.4, 0.0, 1, "champion", at),
        row("k5", 0.2, 0.0, 1, "champion", at), row("k6", 0.3, 0.0, 1, "champion", at),
        row("k1", 0.7, 1.0, 2, "challenger", at), row("k2", 0.3, 0.0, 2, "challenger", at)), schema);
  }

  private Dataset<Row> labels() {
    StructType schema = new StructType().add("id", DataTypes.StringType).add("delayed", DataTypes.DoubleType)
        .add("arrived_at", DataTypes.TimestampType).add("origin", DataTypes.StringType);
    return spark().createDataFrame(List.of(
        row("k1", 1.0, hoursAfterScoring(2), "A"), row("k2", 0.0, hoursAfterScoring(4), "A"),
        row("k3", 1.0, hoursAfterScoring(6), "B"), row("k4", 1.0, hoursAfterScoring(8), "B"),
        row("k5", 0.0, hoursAfterScoring(10), "B"),
        row("k9", 1.0, hoursAfterScoring(1), "A"), row("k10", 0.0, hoursAfterScoring(1), "C")), schema);
  }

  private static Timestamp hoursAfterScoring(int hours) {
    return Timestamp.from(SCORED.plus(Duration.ofHours(hours)));
  }

  private static RealisedPerformance performance() {
    return new RealisedPerformance(Task.BINARY, List.of("id"), "delayed", List.of("origin"), 1, 2);
  }

  /**
   * Version 1: 6 predicted, 5 labelled (coverage 5/6). Positives k1 .9, k3 .6, k4 .4 against negatives
   * k2 .8, k5 .2: 4 of the 6 pairs are ordered right, AUC 2/3. Log loss -(ln .9 + ln .2 + ln .6 + ln .4
   * + ln .8)/5 = .673012; Brier (.01 + .64 + .16 + .36 + .04)/5 = .242; its predictions are right for k1,
   * k3, k5: accuracy .6. Label delays 2 4 6 8 10 hours: median and mean 6.
   */
  @Test
  void realisedMetricsPerVersionAndRole() {
    RealisedPerformance.Report report = performance().measure(predictions(), labels());
    assertEquals(2, report.versions().size());
    RealisedPerformance.VersionPerformance champion = report.versions().get(0);
    assertEquals(1, champion.modelVersion());
    assertEquals("champion", champion.role());
    assertEquals(6, champion.predicted());
    assertEquals(5, champion.labelled());
    assertEquals(5.0 / 6, champion.coverage(), 1e-12);
    assertEquals(2.0 / 3, champion.metric("areaUnderROC"), 1e-12);
    assertEquals(0.673012, champion.metric("logLoss"), 1e-6);
    assertEquals(0.242, champion.metric("brier"), 1e-12);
    assertEquals(0.6, champion.metric("accuracy"), 1e-12);
    assertEquals(0.6, champion.metric("positive_rate"), 1e-12);
    assertEquals(6.0, champion.delayHoursMedian(), 1e-9);
    assertEquals(6.0, champion.delayHoursMean(), 1e-9);
    RealisedPerformance.VersionPerformance challenger = report.versions().get(1);
    assertEquals(2, challenger.modelVersion());
    assertEquals("challenger", challenger.role());
    assertEquals(1.0, challenger.coverage());
    assertEquals(1.0, challenger.metric("areaUnderROC"));
    assertEquals(1.0, challenger.metric("accuracy"));
  }

  /**
   * Residual drift of a regression model: version 1's held-out residual deciles are -0.4, -0.3, …, 0.4. Ten
   * rows with residuals (prediction − label) -0.45, -0.35, …, 0.45 put one row in each decile bin, as at
   * training: PSI 0. Version 2's rows all have residual 1, beyond the last decile: one bin holds every row,
   * against a tenth at training. Version 3 has no deciles (trained before they were recorded): NaN.
   */
  @Test
  void residualDriftIsThePsiOverTheHeldOutDeciles() {
    StructType predictionSchema = new StructType().add("id", DataTypes.StringType)
        .add("prediction", DataTypes.DoubleType).add("model_version", DataTypes.IntegerType)
        .add("role", DataTypes.StringType).add("scored_at", DataTypes.TimestampType);
    StructType labelSchema = new StructType().add("id", DataTypes.StringType).add("y", DataTypes.DoubleType)
        .add("arrived_at", DataTypes.TimestampType);
    Timestamp at = Timestamp.from(SCORED);
    List<Row> predictions = new java.util.ArrayList<>();
    List<Row> labels = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      double residual = -0.45 + 0.1 * i;
      predictions.add(row("a" + i, 10.0, 1, "champion", at));
      labels.add(row("a" + i, 10.0 - residual, hoursAfterScoring(1)));
      predictions.add(row("b" + i, 11.0, 2, "challenger", at));
      labels.add(row("b" + i, 10.0, hoursAfterScoring(1)));
      predictions.add(row("c" + i, 11.0, 3, "shadow", at));
      labels.add(row("c" + i, 10.0, hoursAfterScoring(1)));
    }
    double[] deciles = {-0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4};
    RealisedPerformance.Report report = new RealisedPerformance(Task.REGRESSION, List.of("id"), "y", List.of(), 1, 2,
        java.util.Map.of(1, deciles, 2, deciles)).measure(spark().createDataFrame(predictions, predictionSchema),
        spark().createDataFrame(labels, labelSchema));
    assertEquals(0.0, report.versions().get(0).metric("residual_psi"), 1e-12);
    double oneBin = (1 - 0.1) * Math.log(1 / 0.1) + 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    assertEquals(oneBin, report.versions().get(1).metric("residual_psi"), 1e-9);
    assertEquals(1.0, report.versions().get(1).metric("rmse"), 1e-12);
    assertTrue(Double.isNaN(report.versions().get(2).metric("residual_psi")));
  }

  @Test
  void labelsOfUnknownPredictionIdsAreCountedNotLost() {
    assertEquals(2, performance().measure(predictions(), labels()).unmatchedLabels());
  }

  /**
   * Version 1's slices of origin with at least 2 labelled rows: A (k1, k2) with log loss -(ln .9 + ln .2)/2
   * = .857399 and one wrong of two, B (k3–k5) with .550087; the worst one is A. Version 2's only slice is A
   * (k1 .7 positive, k2 .3 negative): -ln .7 = .356675. C (k10) matched no prediction.
   */
  @Test
  void theWorstSlicesByRealisedLogLoss() {
    List<RealisedPerformance.SliceError> worst = performance().measure(predictions(), labels()).worstSlices();
    assertEquals(2, worst.size());
    assertEquals(new RealisedPerformance.SliceError(1, "champion", "origin", "A", 2, "logLoss", worst.get(0).error(),
        0.5),
        worst.get(0));
    assertEquals(0.857399, worst.get(0).error(), 1e-6);
    assertEquals("A", worst.get(1).value());
    assertEquals(2, worst.get(1).modelVersion());
    assertEquals(0.356675, worst.get(1).error(), 1e-6);
  }

  /** A label arrives when its batch was ingested; unlabelled rows are no labels; a batch bronze lacks keeps its label. */
  @Test
  void labelsArriveWithTheirBatchesIngestTime() {
    StructType featureSchema = new StructType().add("id", DataTypes.StringType).add("delayed", DataTypes.DoubleType)
        .add("origin", DataTypes.StringType).add("hour", DataTypes.IntegerType).add("_batch_id", DataTypes.StringType);
    Dataset<Row> features = spark().createDataFrame(List.of(row("k1", 1.0, "A", 7, "b1"), row("k2", null, "A", 8, "b1"),
        row("k3", 0.0, "B", 9, "b2"), row("k4", 1.0, "C", 9, "b3")), featureSchema);
    StructType bronzeSchema = new StructType().add("id", DataTypes.StringType).add("_batch_id", DataTypes.StringType)
        .add("_ingested_at", DataTypes.TimestampType);
    Dataset<Row> bronze = spark().createDataFrame(List.of(row("k1", "b1", hoursAfterScoring(3)),
        row("k2", "b1", hoursAfterScoring(3)), row("k3", "b2", hoursAfterScoring(5))), bronzeSchema);
    List<Row> labels = LabelArrivals.of(features, bronze, List.of("id"), "delayed", List.of("origin"))
        .select("id", "delayed", "origin", "arrived_at").orderBy("id").collectAsList();
    assertEquals(List.of(row("k1", 1.0, "A", hoursAfterScoring(3)), row("k3", 0.0, "B", hoursAfterScoring(5)),
        row("k4", 1.0, "C", null)), labels);
  }

  @Test
  void aMissingLabelOrSliceColumnIsAUsageError() {
    MlcycleException e = assertThrows(MlcycleException.class, () ->
        new RealisedPerformance(Task.BINARY, List.of("id"), "delayed", List.of("carrier"), 1, 2).measure(predictions(), labels()));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("no column carrier"), e.getMessage());
  }
}
