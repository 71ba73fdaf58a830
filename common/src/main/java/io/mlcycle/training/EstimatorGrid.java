package io.mlcycle.training;

import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;

/** The MLlib estimator a training spec names, and its parameter grid as param maps (the fold-loop path). */
final class EstimatorGrid {
  private EstimatorGrid() {}

  /** The MLlib estimator of the spec's algorithm and task, on the trainer's feature, label and weight columns. */
  static Estimator<?> estimator(TrainingSpec spec) {
    boolean regression = spec.task() == Task.REGRESSION;
    Estimator<?> estimator = switch (spec.algorithm()) {
      case "logistic-regression" -> new LogisticRegression().setMaxIter(spec.maxIterations()).setTol(spec.tolerance())
          .setWeightCol(ModelTrainer.WEIGHT);
      case "linear-regression" -> new LinearRegression().setMaxIter(spec.maxIterations()).setTol(spec.tolerance())
          .setWeightCol(ModelTrainer.WEIGHT);
      case "random-forest" -> regression
          ? new RandomForestRegressor().setSeed(spec.seed()).setWeightCol(ModelTrainer.WEIGHT)
          : new RandomForestClassifier().setSeed(spec.seed()).setWeightCol(ModelTrainer.WEIGHT);
      case "gbt" -> regression
          ? new GBTRegressor().setSeed(spec.seed()).setWeightCol(ModelTrainer.WEIGHT)
          : new GBTClassifier().setSeed(spec.seed()).setWeightCol(ModelTrainer.WEIGHT);
      default -> throw new IllegalStateException("unchecked algorithm " + spec.algorithm());
    };
    estimator.set(estimator.getParam("featuresCol"), ModelTrainer.FEATURES);
    estimator.set(estimator.getParam("labelCol"), ModelTrainer.LABEL);
    return estimator;
  }

  /** One grid point as the estimator's params. */
  static ParamMap paramMap(Estimator<?> estimator, Map<String, Double> point) {
    ParamMap params = new ParamMap();
    point.forEach((name, value) -> {
      switch (name) {
        case "reg-param" -> params.put(estimator.getParam("regParam"), value);
        case "elastic-net" -> params.put(estimator.getParam("elasticNetParam"), value);
        case "max-depth" -> params.put(estimator.getParam("maxDepth"), value.intValue());
        case "num-trees" -> params.put(estimator.getParam("numTrees"), value.intValue());
        case "min-instances" -> params.put(estimator.getParam("minInstancesPerNode"), value.intValue());
        case "max-iter" -> params.put(estimator.getParam("maxIter"), value.intValue());
        case "step-size" -> params.put(estimator.getParam("stepSize"), value);
        default -> throw new IllegalStateException("unchecked parameter " + name);
      }
    });
    return params;
  }

  /** The cartesian product of the grid's value lists, in a stable order. */
  static List<Map<String, Double>> points(TrainingSpec spec) {
    List<Map<String, Double>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Double>> parameter : new TreeMap<>(spec.grid()).entrySet()) {
      List<Map<String, Double>> next = new ArrayList<>();
      for (Map<String, Double> point : points) {
        for (double value : parameter.getValue()) {
          Map<String, Double> extended = new LinkedHashMap<>(point);
          extended.put(parameter.getKey(), value);
          next.add(extended);
        }
      }
      points = next;
    }
    return points;
  }
}
