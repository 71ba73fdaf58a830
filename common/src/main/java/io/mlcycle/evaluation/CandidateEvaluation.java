package io.mlcycle.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.Task;
import io.mlcycle.training.ClassIndex;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The evaluation of a candidate model on holdout rows, and of the champion on the same rows: metrics
 * overall and per slice, the paired bootstrap of the differences, curves, reliability, confusion and the
 * gates. Both models score the rows once; everything else comes from the {@link Cell}s of one Spark job.
 */
public final class CandidateEvaluation {
  private CandidateEvaluation() {}

  /** A model to evaluate and the decision threshold it is used with (binary). */
  public record Scorer(PipelineModel model, double threshold) {}

  /**
   * Everything measured.
   *
   * @param champion the champion's metrics on the same rows, if there is a champion
   * @param differences candidate − champion with the bootstrap interval, per metric
   * @param slices the candidate's metrics per slice scope ({@code slice:<column>=<value>})
   */
  public record Result(Map<String, Double> candidate, Optional<Map<String, Double>> champion,
                       Map<String, PairedBootstrap.Difference> differences, Map<String, Map<String, Double>> slices,
                       EvaluationMetrics.Curves curves, List<double[]> reliability,
                       Map<Integer, Map<Integer, Double>> confusion, List<GateCheck.Result> gates, boolean go) {}

  public static Result evaluate(Dataset<Row> holdout, TrainingSpec training, EvaluationSpec spec, Scorer candidate,
                                Optional<Scorer> champion) {
    List<Cell> cells = EvaluationCells.of(score(holdout, training, candidate, champion), training.task(),
        candidate.threshold(), champion.map(Scorer::threshold).orElse(0.5), spec.slices());
    Map<String, List<Cell>> byScope = new TreeMap<>();
    cells.forEach(c -> byScope.computeIfAbsent(c.scope(), s -> new ArrayList<>()).add(c));
    List<Cell> all = byScope.getOrDefault(EvaluationCells.ALL, List.of());
    Task task = training.task();
    Map<String, Double> candidateMetrics = EvaluationMetrics.of(task, all, null, EvaluationMetrics.Side.CANDIDATE,
        spec.business());
    Optional<Map<String, Double>> championMetrics = champion.map(c -> EvaluationMetrics.of(task, all, null,
        EvaluationMetrics.Side.CHAMPION, spec.business()));
    Map<String, PairedBootstrap.Difference> differences = champion.isPresent()
        ? PairedBootstrap.differences(task, all, spec) : Map.of();
    Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
    byScope.forEach((scope, scopeCells) -> {
      if (!scope.equals(EvaluationCells.ALL)) {
        slices.put(scope, EvaluationMetrics.of(task, scopeCells, null, EvaluationMetrics.Side.CANDIDATE,
            spec.business()));
      }
    });
    boolean binary = task == Task.BINARY;
    EvaluationMetrics.Curves curves = binary ? EvaluationMetrics.curves(all, EvaluationMetrics.Side.CANDIDATE)
        : new EvaluationMetrics.Curves(List.of(), List.of());
    List<double[]> reliability = binary ? EvaluationMetrics.reliability(all, EvaluationMetrics.Side.CANDIDATE)
        : List.of();
    Map<Integer, Map<Integer, Double>> confusion = task == Task.REGRESSION ? Map.of()
        : EvaluationMetrics.confusion(task, all, EvaluationMetrics.Side.CANDIDATE);
    List<GateCheck.Result> gates = GateCheck.check(spec, candidateMetrics, championMetrics, slices);
    return new Result(candidateMetrics, championMetrics, differences, slices, curves, reliability, confusion, gates,
        GateCheck.go(gates));
  }

  /**
   * The holdout with {@code _y}, {@code _p}, {@code _q} and {@code _h}: each model scores the rows once. A
   * multiclass label and both models' predictions are indices into the candidate's classes
   * ({@link ClassIndex}): the champion's predicted class is looked up by name, so two models whose class maps
   * differ are compared on the same classes (a class the candidate does not have is index -1, a miss).
   */
  private static Dataset<Row> score(Dataset<Row> holdout, TrainingSpec training, Scorer candidate,
                                    Optional<Scorer> champion) {
    boolean multiclass = training.task() == Task.MULTICLASS;
    Optional<List<String>> classes = multiclass ? ClassIndex.of(candidate.model()) : Optional.empty();
    List<String> original = List.of(holdout.columns());
    List<Column> candidateColumns = new ArrayList<>(List.of(
        output(training.task(), classes).as(EvaluationCells.CANDIDATE)));
    if (multiclass) {
      candidateColumns.add(trueClassProbability(candidate.model(), training.label())
          .as(EvaluationCells.CANDIDATE_TRUE_CLASS));
    }
    Dataset<Row> withCandidate = keep(candidate.model().transform(holdout), original, candidateColumns);
    List<String> withP = List.of(withCandidate.columns());
    Dataset<Row> both;
    if (champion.isPresent()) {
      List<Column> championColumns = new ArrayList<>(List.of(
          output(training.task(), classes).as(EvaluationCells.CHAMPION)));
      if (multiclass) {
        championColumns.add(trueClassProbability(champion.get().model(), training.label())
            .as(EvaluationCells.CHAMPION_TRUE_CLASS));
      }
      both = keep(champion.get().model().transform(withCandidate), withP, championColumns);
    } else {
      both = withCandidate.withColumn(EvaluationCells.CHAMPION, lit(null).cast("double"));
      if (multiclass) {
        both = both.withColumn(EvaluationCells.CHAMPION_TRUE_CLASS, lit(null).cast("double"));
      }
    }
    Column[] key = training.entityKey().stream().map(ColumnNames::column).toArray(Column[]::new);
    Column label = classes.map(c -> ClassIndex.index(c, col(training.label())))
        .orElse(col(training.label()).cast("double"));
    return both.withColumn(EvaluationCells.LABEL, label).withColumn(EvaluationCells.ROW_HASH, xxhash64(key));
  }

  private static Dataset<Row> keep(Dataset<Row> transformed, List<String> columns, List<Column> added) {
    List<Column> kept = new ArrayList<>(columns.stream().map(c -> col("`" + c + "`")).toList());
    kept.addAll(added);
    return transformed.select(kept.toArray(Column[]::new));
  }

  /**
   * The probability a multiclass model gives each row's label's class, looked up by class name among the
   * model's own classes: null when the label is not one of them (such a row has no log loss).
   */
  private static Column trueClassProbability(PipelineModel model, String label) {
    Column index = ClassIndex.index(ClassIndex.of(model).orElseThrow(), col(label)).cast("int");
    return org.apache.spark.sql.functions.when(index.geq(0), org.apache.spark.sql.functions.try_element_at(
        functions.vector_to_array(col("probability"), "float64"), index.plus(1)));
  }

  /**
   * What a model's row contributes: the positive class's probability (binary), the index of the predicted
   * class among {@code classes} (multiclass), or the prediction (regression).
   */
  private static Column output(Task task, Optional<List<String>> classes) {
    if (task == Task.BINARY) {
      return functions.vector_to_array(col("probability"), "float64").getItem(1);
    }
    return classes.map(c -> ClassIndex.index(c, col(ClassIndex.PREDICTED_CLASS)))
        .orElse(col("prediction").cast("double"));
  }
}
