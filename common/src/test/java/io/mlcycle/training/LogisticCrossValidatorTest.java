package io.mlcycle.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.SparkTest;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one-pass cross-validation gives MLlib's own CrossValidator results on the same folds. */
class LogisticCrossValidatorTest extends SparkTest {
  private static final double[] REG_PARAMS = {0.3, 0.03, 0.0003};
  private static Dataset<Row> data;
  private static TrainingBlocks blocks;
  private static LogisticCrossValidator.Result ours;

  /**
   * Rows from a known logistic model: two numeric features, a nine-level category, a 0/1 label drawn with
   * the model's probability, a class weight and a fold, all from hashes of the row id (deterministic).
   */
  @BeforeAll
  static void fitOurs() {
    Dataset<Row> raw = spark().range(0, 9000).selectExpr(
        "id",
        "(pmod(hash(id, 1), 10000) / 5000.0) - 1 as x1",
        "(pmod(hash(id, 2), 10000) / 1000.0) as x2",
        "concat('c', cast(pmod(hash(id, 3), 9) as string)) as category",
        "pmod(hash(id, 4), 3) as fold",
        "pmod(hash(id, 5), 100000) / 100000.0 as u");
    Dataset<Row> labelled = raw.selectExpr("*",
        "1 / (1 + exp(-(1.5 * x1 - 0.2 * x2 + (case category when 'c1' then 1.0 when 'c2' then -1.0 else 0.2 end))))"
            + " as p")
        .selectExpr("*", "cast(u < p as double) as label", "1.0 as weight");
    Pipeline features = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("category").setOutputCol("category_index"),
        new OneHotEncoder().setInputCols(new String[] {"category_index"}).setOutputCols(new String[] {"category_vec"}),
        new VectorAssembler().setInputCols(new String[] {"x1", "x2", "category_vec"}).setOutputCol("features")});
    data = features.fit(labelled).transform(labelled)
        .select("features", "x1", "x2", "category_index", "label", "weight", "fold").cache();
    // Nine categories one-hot with the last dropped, as the encoder above does.
    blocks = TrainingBlocks.pack(data, new TrainingBlocks.Layout(List.of("x1", "x2"), List.of("category_index"),
        new int[] {9}, new int[] {8}), "label", "weight", "fold");
    ours = new LogisticCrossValidator(100, 1e-6, "areaUnderROC").run(blocks, REG_PARAMS);
  }

  @AfterAll
  static void release() {
    blocks.close();
    data.unpersist();
  }

  @Test
  void choosesTheSamePenaltyWithTheSameFoldMetricsAsMllib() {
    LogisticRegression lr = new LogisticRegression().setMaxIter(100).setTol(1e-6);
    ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), REG_PARAMS).build();
    CrossValidatorModel mllib = new CrossValidator()
        .setEstimator(lr)
        .setEstimatorParamMaps(grid)
        .setEvaluator(new BinaryClassificationEvaluator().setMetricName("areaUnderROC").setNumBins(0))
        .setFoldCol("fold")
        .setNumFolds(3)
        .fit(data);

    double[] theirs = mllib.avgMetrics();
    for (int g = 0; g < REG_PARAMS.length; g++) {
      double regParam = (Double) grid[g].get(lr.regParam()).get();
      assertEquals(regParam, REG_PARAMS[g]);
      assertEquals(theirs[g], ours.mean()[g], 5e-4, "mean AUC at regParam " + regParam);
    }
    LogisticRegressionModel best = (LogisticRegressionModel) mllib.bestModel();
    assertEquals(best.getRegParam(), ours.bestRegParam());
    assertEquals(best.intercept(), ours.model().intercept(), 2e-3);
    double[] coefficients = best.coefficients().toArray();
    for (int j = 0; j < coefficients.length; j++) {
      assertEquals(coefficients[j], ours.model().coefficients()[j], 2e-3, "coefficient " + j);
    }
  }

  @Test
  void recoversTheGeneratingModelAndReportsEveryFold() {
    for (double mean : ours.mean()) {
      assertTrue(mean <= ours.mean()[ours.best()], "the chosen penalty has the best mean AUC");
    }
    assertTrue(ours.model().coefficients()[0] > 0.5, "x1's true weight is +1.5 (shrunk by the penalty)");
    assertTrue(ours.model().coefficients()[1] < 0, "x2's true weight is -0.2");
    assertEquals(3, ours.foldMetrics()[0].length);
    long heldOut = 0;
    for (HeldOutMetrics.Metrics fold : ours.foldMetrics()[ours.best()]) {
      assertTrue(fold.areaUnderRoc() > 0.6 && fold.areaUnderRoc() < 1, "AUC " + fold.areaUnderRoc());
      assertTrue(fold.logLoss() > 0 && fold.logLoss() < Math.log(2), "log loss " + fold.logLoss());
      heldOut += fold.rows();
    }
    assertEquals(9000, heldOut, "every row is held out exactly once");
    assertTrue(ours.passes() < 200, "passes: " + ours.passes());
  }
}
