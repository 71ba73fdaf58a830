package io.mlcycle.report;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.registry.ModelArtifact;
import io.mlcycle.training.ClassIndex;
import io.mlcycle.training.ModelTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A trained model's coefficients (linear models; a multinomial model has one row of them per class) or
 * feature importances (trees), each named after its slot of the assembled feature vector ({@code _num_hour},
 * {@code _vec_origin_ATL}). The names come from the vector's ML attributes, found by running the model's
 * feature stages on the feature table's schema alone: no rows are read.
 */
public final class ModelWeights {
  /** The columns of the frame {@link #read} returns; {@code class} is null but for a multinomial model's rows. */
  static final List<String> COLUMNS = List.of("feature", "class", "weight", "kind");

  private ModelWeights() {}

  /** Rows {@code feature, class, weight, kind}; empty when no whole model is at {@code modelPath}. */
  public static Optional<Frame> read(SparkSession spark, String modelPath, String featureTable) {
    if (!ModelArtifact.exists(spark, modelPath) || !DeltaTables.exists(spark, featureTable)) {
      return Optional.empty();
    }
    PipelineModel model = ModelArtifact.load(spark, modelPath);
    Transformer[] stages = model.stages();
    // The estimator is the last model that predicts; a multiclass model's class-naming stage follows it.
    int last = stages.length - 1;
    while (last > 0 && !(stages[last] instanceof PredictionModel<?, ?>)) {
      last--;
    }
    Transformer estimator = stages[last];
    if (coefficients(estimator, List.of()).isEmpty() && importances(estimator).isEmpty()) {
      return Optional.of(new Frame(COLUMNS, List.of()));
    }
    Dataset<Row> schemaOnly = spark.read().format("delta").load(featureTable).limit(0);
    Dataset<Row> assembled = new PipelineModel("weights", Arrays.copyOf(stages, last)).transform(schemaOnly);
    List<String> names = names(assembled);
    return Optional.of(of(estimator, names, ClassIndex.of(model).orElse(List.of())));
  }

  /**
   * The weights of {@code estimator} named by {@code names} (slots past the list are called by their index):
   * one row per feature, or per class and feature for a multinomial model, whose classes are {@code classes}.
   */
  static Frame of(Transformer estimator, List<String> names, List<String> classes) {
    List<List<Object>> rows = new ArrayList<>();
    coefficients(estimator, classes).ifPresentOrElse(
        perClass -> perClass.forEach((name, weights) -> add(rows, names, name, weights, "coefficient")),
        () -> importances(estimator).ifPresent(w -> add(rows, names, null, w, "importance")));
    return Frame.of(COLUMNS, rows);
  }

  private static void add(List<List<Object>> rows, List<String> names, String className, double[] weights,
                          String kind) {
    for (int i = 0; i < weights.length; i++) {
      rows.add(Arrays.asList(i < names.size() ? names.get(i) : "slot " + i, className, weights[i], kind));
    }
  }

  /** Coefficients by class (one entry keyed null when the model has one vector of them). */
  private static Optional<Map<String, double[]>> coefficients(Transformer estimator, List<String> classes) {
    Map<String, double[]> byClass = new LinkedHashMap<>();
    if (estimator instanceof LogisticRegressionModel lr && lr.numClasses() > 2) {
      Matrix matrix = lr.coefficientMatrix();
      for (int c = 0; c < matrix.numRows(); c++) {
        double[] row = new double[matrix.numCols()];
        for (int j = 0; j < row.length; j++) {
          row[j] = matrix.apply(c, j);
        }
        byClass.put(c < classes.size() ? classes.get(c) : "class " + c, row);
      }
    } else if (estimator instanceof LogisticRegressionModel lr) {
      byClass.put(null, lr.coefficients().toArray());
    } else if (estimator instanceof LinearRegressionModel lin) {
      byClass.put(null, lin.coefficients().toArray());
    }
    return byClass.isEmpty() ? Optional.empty() : Optional.of(byClass);
  }

  private static Optional<double[]> importances(Transformer estimator) {
    Vector importances = estimator instanceof RandomForestClassificationModel m ? m.featureImportances()
        : estimator instanceof RandomForestRegressionModel m ? m.featureImportances()
        : estimator instanceof GBTClassificationModel m ? m.featureImportances()
        : estimator instanceof GBTRegressionModel m ? m.featureImportances()
        : estimator instanceof DecisionTreeClassificationModel m ? m.featureImportances()
        : estimator instanceof DecisionTreeRegressionModel m ? m.featureImportances()
        : null;
    return Optional.ofNullable(importances).map(Vector::toArray);
  }

  /** The vector's slot names; a slot without a name is called by its index. */
  private static List<String> names(Dataset<Row> assembled) {
    AttributeGroup group = AttributeGroup.fromStructField(assembled.schema().apply(ModelTrainer.FEATURES));
    List<String> names = new ArrayList<>();
    Attribute[] attributes = group.attributes().isDefined() ? group.attributes().get() : new Attribute[0];
    for (int i = 0; i < attributes.length; i++) {
      names.add(attributes[i].name().isDefined() ? attributes[i].name().get() : "slot " + i);
    }
    return names;
  }
}
