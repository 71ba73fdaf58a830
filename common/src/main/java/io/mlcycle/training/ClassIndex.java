package io.mlcycle.training;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;

/**
 * The classes of a multiclass model and their indices: the label's distinct values in the rows it was
 * trained from, sorted (numerically when the label is a number, else as strings), the first being index 0.
 * The map is part of the model: its last stage is an {@link IndexToString} from {@code prediction} to
 * {@value #PREDICTED_CLASS}, whose labels are the classes in index order. Scoring therefore names each
 * prediction's class, and evaluation and monitoring read the same map from the model they were given.
 *
 * <p>A label is matched to its class by its string form ({@code cast(label as string)}), so a string label
 * and a numeric one ({@code 0, 1, 2}) are handled alike; a label no class has gets index -1: counted by the
 * caller, never a failure.
 */
public final class ClassIndex {
  /** The column holding a multiclass prediction's class name. */
  public static final String PREDICTED_CLASS = "predicted_class";

  private ClassIndex() {}

  /** The sorted distinct labels of {@code rows} whose label is known, as strings. One small Spark job. */
  public static List<String> classes(Dataset<Row> rows, String label) {
    boolean numeric = rows.schema().apply(label).dataType() instanceof NumericType;
    Comparator<Row> order = numeric ? Comparator.comparingDouble(r -> ((Number) r.get(0)).doubleValue())
        : Comparator.comparing(r -> r.get(0).toString());
    return rows.where(col(label).isNotNull()).select(label).distinct().collectAsList().stream().sorted(order)
        .map(r -> r.get(0).toString()).toList();
  }

  /**
   * The index of {@code label}'s class as a double, or -1 when no class has that value. Numbers are matched
   * by their string form as Spark writes it, the form {@link #classes} stored them in.
   */
  public static Column index(List<String> classes, Column label) {
    Column names = array(classes.stream().map(c -> lit(c)).toArray(Column[]::new));
    return array_position(names, label.cast("string")).minus(lit(1)).cast("double");
  }

  /** The stage that names each prediction's class, appended last to a multiclass model. */
  public static IndexToString stage(List<String> classes) {
    return new IndexToString("mlcycle-class-index").setInputCol("prediction").setOutputCol(PREDICTED_CLASS)
        .setLabels(classes.toArray(String[]::new));
  }

  /** The classes of a model, in index order; empty for a model without a class map (binary, regression). */
  public static Optional<List<String>> of(PipelineModel model) {
    Transformer[] stages = model.stages();
    if (stages.length > 0 && stages[stages.length - 1] instanceof IndexToString names) {
      return Optional.of(List.of(names.getLabels()));
    }
    return Optional.empty();
  }
}
