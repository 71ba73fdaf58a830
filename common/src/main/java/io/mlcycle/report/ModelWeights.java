package io.mlcycle.report;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.training.ModelTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A trained model's coefficients (linear models) or feature importances (trees), each named after its
 * slot of the assembled feature vector ({@code _num_hour}, {@code _vec_origin_ATL}). The names come from
 * the vector's ML attributes, found by running the model's feature stages on the feature table's schema
 * alone: no rows are read.
 */
public final class ModelWeights {
  private ModelWeights() {}

  /** Rows {@code feature, weight, kind}; empty when no whole model is at {@code modelPath}. */
  public static Optional<Frame> read(SparkSession spark, String modelPath, String featureTable) {
    if (!ModelArtifact.exists(spark, modelPath) || !DeltaTables.exists(spark, featureTable)) {
      return Optional.empty();
    }
    PipelineModel model = ModelArtifact.load(spark, modelPath);
    Transformer[] stages = model.stages();
    Transformer estimator = stages[stages.length - 1];
    Optional<double[]> coefficients = coefficients(estimator);
    Optional<double[]> importances = importances(estimator);
    if (coefficients.isEmpty() && importances.isEmpty()) {
      return Optional.of(new Frame(List.of("feature", "weight", "kind"), List.of()));
    }
    Dataset<Row> schemaOnly = spark.read().format("delta").load(featureTable).limit(0);
    Dataset<Row> assembled = new PipelineModel("weights", Arrays.copyOf(stages, stages.length - 1)).transform(schemaOnly);
    List<String> names = names(assembled, coefficients.or(() -> importances).get().length);
    String kind = coefficients.isPresent() ? "coefficient" : "importance";
    double[] weights = coefficients.or(() -> importances).get();
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      rows.add(List.of(names.get(i), weights[i], kind));
    }
    return Optional.of(Frame.of(List.of("feature", "weight", "kind"), rows));
  }

  private static Optional<double[]> coefficients(Transformer estimator) {
    if (estimator instanceof LogisticRegressionModel lr) {
      return Optional.of(lr.numClasses() == 2 ? lr.coefficients().toArray() : largestPerFeature(lr.coefficientMatrix()));
    }
    if (estimator instanceof LinearRegressionModel lin) {
      return Optional.of(lin.coefficients().toArray());
    }
    return Optional.empty();
  }

  /** For a multinomial model, the coefficient of largest magnitude over the classes, per feature. */
  private static double[] largestPerFeature(Matrix matrix) {
    double[] largest = new double[matrix.numCols()];
    for (int j = 0; j < matrix.numCols(); j++) {
      for (int i = 0; i < matrix.numRows(); i++) {
        if (Math.abs(matrix.apply(i, j)) > Math.abs(largest[j])) {
          largest[j] = matrix.apply(i, j);
        }
      }
    }
    return largest;
  }

  private static Optional<double[]> importances(Transformer estimator) {
    Vector importances = estimator instanceof RandomForestClassificationModel m ? m.featureImportances()
        : estimator instanceof RandomForestRegressionModel m ? m.featureImportances()
        : estimator instanceof GBTClassificationModel m ? m.featureImportances()
        : estimator instanceof GBTRegressionModel m ? m.featureImportances()
        : estimator instanceof DecisionTreeClassificationModel m ? m.featureImportances()
        : null;
    return Optional.ofNullable(importances).map(Vector::toArray);
  }

  /** The vector's slot names; slots without a name are called by their index. */
  private static List<String> names(Dataset<Row> assembled, int size) {
    AttributeGroup group = AttributeGroup.fromStructField(assembled.schema().apply(ModelTrainer.FEATURES));
    List<String> names = new ArrayList<>();
    Attribute[] attributes = group.attributes().isDefined() ? group.attributes().get() : new Attribute[0];
    for (int i = 0; i < size; i++) {
      names.add(i < attributes.length && attributes[i].name().isDefined() ? attributes[i].name().get() : "slot " + i);
    }
    return names;
  }
}
