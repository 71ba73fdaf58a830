package io.mlcycle.reproduction;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.tree.DecisionTreeModel;
import org.apache.spark.ml.tree.TreeEnsembleModel;

/**
 * What a trained model learned, to compare: a linear model's coefficients and intercepts (every class of a
 * multinomial one) as numbers; a tree model's structure (its split rules and leaf values) as text, which
 * must match exactly.
 */
record ModelParameters(double[] weights, String structure) {

  static ModelParameters of(PipelineModel model) {
    // The estimator's model is the last stage, or the one before a multiclass model's class names.
    Transformer estimator = model.stages()[model.stages().length - 1];
    for (int i = model.stages().length - 1; i >= 0; i--) {
      if (model.stages()[i] instanceof org.apache.spark.ml.PredictionModel<?, ?>) {
        estimator = model.stages()[i];
        break;
      }
    }
    if (estimator instanceof LogisticRegressionModel lr) {
      List<Double> values = new ArrayList<>();
      for (double c : lr.coefficientMatrix().toArray()) {
        values.add(c);
      }
      for (double i : lr.interceptVector().toArray()) {
        values.add(i);
      }
      return new ModelParameters(values.stream().mapToDouble(Double::doubleValue).toArray(), "");
    }
    if (estimator instanceof LinearRegressionModel lin) {
      double[] coefficients = lin.coefficients().toArray();
      double[] weights = java.util.Arrays.copyOf(coefficients, coefficients.length + 1);
      weights[coefficients.length] = lin.intercept();
      return new ModelParameters(weights, "");
    }
    if (estimator instanceof TreeEnsembleModel<?> trees) {
      return new ModelParameters(new double[0], withoutUid(trees.toDebugString()));
    }
    if (estimator instanceof DecisionTreeModel tree) {
      return new ModelParameters(new double[0], withoutUid(tree.toDebugString()));
    }
    return new ModelParameters(new double[0], "");
  }

  /** The text without the stage's uid, which is new for every instance. */
  private static String withoutUid(String debugString) {
    return debugString.replaceFirst("uid=[^,\\s]+,?\\s*", "");
  }
}
