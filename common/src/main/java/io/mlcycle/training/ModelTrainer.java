package io.mlcycle.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.mlcycle.base.Steps;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one model as the spec says, fast by construction: the feature stages are fitted once on the
 * training split, the encoded rows are cached once, and cross-validation refits only the estimator
 * on the fold column. Binary logistic regression takes the one-pass path
 * ({@link LogisticCrossValidator}); the other algorithms refit MLlib's estimator per fold and grid point.
 * The result is one {@link PipelineModel} that carries its feature stages, so scoring runs the same code.
 */
public final class ModelTrainer {
  public static final String FEATURES = "features";
  public static final String LABEL = "_label";
  public static final String WEIGHT = "_weight";
  /** Prefixes of the feature stages' columns: a numeric input as a double, a category's index. */
  private static final String NUMERIC = "_num_";
  private static final String INDEX = "_idx_";
  private static final Logger LOG = LoggerFactory.getLogger(ModelTrainer.class);

  private ModelTrainer() {}

  /** One grid point's cross-validation: its parameters, the metric per fold, mean and std. */
  public record GridPoint(Map<String, Double> params, double[] foldMetrics, double mean, double std) {}

  /**
   * @param grid every grid point in order
   * @param best index of the chosen grid point
   * @param holdout metrics of the final model on the test split
   * @param residualDeciles regression: the deciles of its residuals (prediction − label) on the test split,
   *     the bins of residual drift; empty for classifiers
   * @param passes optimiser passes over the cached data (one-pass path), 0 otherwise
   * @param validation binary: the chosen grid point's metrics on each held-out fold, with their histograms
   */
  public record Trained(PipelineModel model, List<GridPoint> grid, int best, Map<String, Double> holdout,
                        List<Double> residualDeciles, long trainRows, long testRows, int passes, List<HeldOutMetrics.Metrics> validation) {
    public GridPoint chosen() {
      return grid.get(best);
    }
  }

  /** Trains on the rows of {@code split} (from {@link DataSplit#assign}) whose label is known. */
  public static Trained train(Dataset<Row> split, TrainingSpec spec) {
    Dataset<Row> known = split.filter(col(spec.label()).isNotNull());
    Optional<List<String>> classes = spec.task() == Task.MULTICLASS
        ? Optional.of(Steps.timed(LOG, "train: index the classes", () -> ClassIndex.classes(known, spec.label())))
        : Optional.empty();
    Dataset<Row> labelled = known.withColumn(LABEL, classes.map(c -> ClassIndex.index(c, col(spec.label())))
        .orElse(col(spec.label()).cast("double")));
    Dataset<Row> train = withWeights(labelled.filter(not(col(DataSplit.TEST))), spec);
    Dataset<Row> test = labelled.filter(col(DataSplit.TEST));

    PipelineModel featureStages = Steps.timed(LOG, "train: fit feature stages",
        () -> featurePipeline(spec).fit(train));
    Search search = Steps.timed(LOG, "train: cross-validation and refit",
        () -> spec.algorithm().equals("logistic-regression") && spec.task() == Task.BINARY
            ? onePassLogistic(train, featureStages, spec)
            : foldLoop(train, featureStages, spec));
    List<Transformer> stages = new ArrayList<>(List.of(featureStages.stages()));
    stages.add(search.model());
    classes.ifPresent(c -> stages.add(ClassIndex.stage(c)));
    PipelineModel model = new PipelineModel("mlcycle-" + spec.name(), stages.toArray(Transformer[]::new));
    TrainingMetrics.HeldOut heldOut = Steps.timed(LOG, "train: holdout metrics",
        () -> TrainingMetrics.heldOut(model.transform(test), spec.task()));
    Map<String, Double> holdout = heldOut.metrics();
    long testRows = holdout.get(Metric.ROWS.id()).longValue();
    long trainRows = search.trainRows();
    LOG.info("trained {} ({}): chosen {} with CV {} {} ± {}; holdout {}", spec.name(), spec.algorithm(),
        search.grid().get(search.best()).params(), spec.metric(),
        String.format("%.4f", search.grid().get(search.best()).mean()),
        String.format("%.4f", search.grid().get(search.best()).std()), holdout);
    return new Trained(model, search.grid(), search.best(), holdout, heldOut.residualDeciles(), trainRows, testRows, search.passes(),
        search.validation());
  }

  private record Search(Transformer model, List<GridPoint> grid, int best, int passes, long trainRows,
                        List<HeldOutMetrics.Metrics> validation) {}

  /** Class weights inversely proportional to class frequency when asked for; otherwise 1. */
  private static Dataset<Row> withWeights(Dataset<Row> train, TrainingSpec spec) {
    if (!spec.balanced() || spec.task() == Task.REGRESSION) {
      return train.withColumn(WEIGHT, lit(1.0));
    }
    List<Row> classes = train.groupBy(LABEL).count().collectAsList();
    long total = classes.stream().mapToLong(r -> r.getLong(1)).sum();
    StringBuilder weight = new StringBuilder("case");
    for (Row c : classes) {
      weight.append(" when ").append(LABEL).append(" = ").append(c.getDouble(0)).append(" then ")
          .append(total / (double) (classes.size() * c.getLong(1)));
    }
    return train.withColumn(WEIGHT, org.apache.spark.sql.functions.expr(weight.append(" end").toString()));
  }

  /**
   * Nulls in numeric inputs become 0, categorical inputs are indexed (unseen values and nulls get a slot
   * of their own) and one-hot encoded, and everything is assembled into one vector.
   */
  static Pipeline featurePipeline(TrainingSpec spec) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    if (!spec.numeric().isEmpty()) {
      StringBuilder select = new StringBuilder("SELECT *");
      for (String numeric : spec.numeric()) {
        select.append(", coalesce(cast(`").append(numeric).append("` as double), 0.0) AS `").append(NUMERIC)
            .append(numeric).append('`');
        assembled.add(NUMERIC + numeric);
      }
      stages.add(new SQLTransformer().setStatement(select.append(" FROM __THIS__").toString()));
    }
    if (!spec.categorical().isEmpty()) {
      String[] inputs = spec.categorical().toArray(String[]::new);
      String[] indexed = spec.categorical().stream().map(c -> INDEX + c).toArray(String[]::new);
      String[] encoded = spec.categorical().stream().map(c -> "_vec_" + c).toArray(String[]::new);
      stages.add(new StringIndexer().setInputCols(inputs).setOutputCols(indexed).setHandleInvalid("keep")
          .setStringOrderType("frequencyDesc"));
      stages.add(new OneHotEncoder().setInputCols(indexed).setOutputCols(encoded).setHandleInvalid("keep"));
      assembled.addAll(List.of(encoded));
    }
    stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(FEATURES));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /**
   * The rows packed straight from the numeric inputs and the category indices, without building MLlib vectors:
   * the same non-zeros in the same slots as the fitted stages' one-hot encoder and assembler give each row's
   * vector, which the saved model keeps for scoring.
   */
  static TrainingBlocks pack(Dataset<Row> train, PipelineModel featureStages, TrainingSpec spec) {
    Dataset<Row> indexed = train;
    Optional<OneHotEncoderModel> encoder = Optional.empty();
    for (Transformer stage : featureStages.stages()) {
      if (stage instanceof OneHotEncoderModel oneHot) {
        encoder = Optional.of(oneHot);
      } else if (!(stage instanceof VectorAssembler)) {
        indexed = stage.transform(indexed);
      }
    }
    TrainingBlocks.Layout layout = TrainingBlocks.Layout.of(spec.numeric().stream().map(n -> NUMERIC + n).toList(),
        spec.categorical().stream().map(c -> INDEX + c).toList(), encoder);
    return TrainingBlocks.pack(indexed, layout, LABEL, WEIGHT, DataSplit.FOLD);
  }

  private static Search onePassLogistic(Dataset<Row> train, PipelineModel featureStages, TrainingSpec spec) {
    double[] regParams = spec.gridValues("reg-param", 0.0).stream().mapToDouble(Double::doubleValue).toArray();
    try (TrainingBlocks blocks = Steps.timed(LOG, "train: pack and cache the rows",
        () -> pack(train, featureStages, spec))) {
      LogisticCrossValidator.Result result =
          new LogisticCrossValidator(spec.maxIterations(), spec.tolerance(), spec.metric()).run(blocks, regParams);
      List<GridPoint> grid = new ArrayList<>();
      long rows = 0;
      for (int g = 0; g < regParams.length; g++) {
        double[] folds = new double[blocks.folds()];
        for (int f = 0; f < folds.length; f++) {
          folds[f] = result.foldMetrics()[g][f].get(spec.metric());
          rows += g == 0 ? result.foldMetrics()[g][f].rows() : 0;
        }
        grid.add(new GridPoint(Map.of("reg-param", regParams[g]), folds, result.mean()[g], result.std()[g]));
      }
      LogisticRegressionModel model = new LogisticRegressionModel("mlcycle-logistic-regression",
          Vectors.dense(result.model().coefficients()), result.model().intercept());
      model.set(model.regParam(), result.bestRegParam());
      model.set(model.featuresCol(), FEATURES);
      return new Search(model, grid, result.best(), result.passes(), rows,
          List.of(result.foldMetrics()[result.best()]));
    }
  }

  /** MLlib's estimator refitted per fold and grid point on the assembled vectors, cached for the search. */
  private static Search foldLoop(Dataset<Row> train, PipelineModel featureStages, TrainingSpec spec) {
    Dataset<Row> assembled = featureStages.transform(train).select(FEATURES, LABEL, WEIGHT, DataSplit.FOLD)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return foldLoop(assembled, spec);
    } finally {
      assembled.unpersist();
    }
  }

  /** MLlib's estimator refitted per fold and grid point on the cached vectors, scored on the held-out fold. */
  private static Search foldLoop(Dataset<Row> assembled, TrainingSpec spec) {
    Estimator<?> estimator = EstimatorGrid.estimator(spec);
    List<Map<String, Double>> points = EstimatorGrid.points(spec);
    List<GridPoint> grid = new ArrayList<>();
    List<List<HeldOutMetrics.Metrics>> held = new ArrayList<>();
    boolean binary = spec.task() == Task.BINARY;
    for (Map<String, Double> point : points) {
      ParamMap params = EstimatorGrid.paramMap(estimator, point);
      double[] folds = new double[spec.folds()];
      List<HeldOutMetrics.Metrics> pointHeld = new ArrayList<>();
      for (int f = 0; f < spec.folds(); f++) {
        Model<?> fitted = (Model<?>) estimator.fit(assembled.filter(col(DataSplit.FOLD).notEqual(f)), params);
        Dataset<Row> heldOut = fitted.transform(assembled.filter(col(DataSplit.FOLD).equalTo(f)));
        if (binary) {
          HeldOutMetrics.Metrics metrics = TrainingMetrics.binary(heldOut);
          pointHeld.add(metrics);
          folds[f] = metrics.get(spec.metric());
        } else {
          folds[f] = TrainingMetrics.of(heldOut, spec.task()).get(spec.metric());
        }
      }
      held.add(pointHeld);
      grid.add(new GridPoint(point, folds, mean(folds), std(folds)));
    }
    int best = 0;
    for (int g = 1; g < grid.size(); g++) {
      boolean better = Metric.largerIsBetter(spec.metric()) ? grid.get(g).mean() > grid.get(best).mean()
          : grid.get(g).mean() < grid.get(best).mean();
      if (better) {
        best = g;
      }
    }
    Transformer model = (Transformer) estimator.fit(assembled, EstimatorGrid.paramMap(estimator, points.get(best)));
    return new Search(model, grid, best, 0, assembled.count(), held.get(best));
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double std(double[] values) {
    double m = mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - m) * (v - m);
    }
    return values.length > 1 ? Math.sqrt(sum / (values.length - 1)) : 0;
  }
}
