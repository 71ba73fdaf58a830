package io.mlcycle.training;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.mlcycle.base.Errors;
import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code pipeline.model} section, parsed and checked whole before any data is read. It is a small
 * serialisable value: executors never see the Config it came from.
 */
public record TrainingSpec(String name, Task task, String algorithm, String label, List<String> numeric,
                           List<String> categorical, Map<String, List<Double>> grid, String metric, int folds,
                           long seed, String splitMethod, double testFraction, boolean balanced, int maxIterations,
                           double tolerance, long minTrainRows, double leakAuc, List<String> entityKey,
                           String eventTime, int partitions) implements java.io.Serializable {

  private static final String ROOT = "pipeline.model";
  private static final Map<String, Set<String>> PARAMETERS = Map.of(
      "logistic-regression", Set.of("reg-param", "elastic-net"),
      "linear-regression", Set.of("reg-param", "elastic-net"),
      "random-forest", Set.of("max-depth", "num-trees", "min-instances"),
      "gbt", Set.of("max-depth", "max-iter", "step-size"));
  private static final Map<String, Set<Task>> TASKS = Map.of(
      "logistic-regression", Set.of(Task.BINARY, Task.MULTICLASS),
      "linear-regression", Set.of(Task.REGRESSION),
      "random-forest", Set.of(Task.BINARY, Task.MULTICLASS, Task.REGRESSION),
      "gbt", Set.of(Task.BINARY, Task.REGRESSION));
  /** Parses {@code pipeline.model} (and the entity key and event time it splits by) of a validated configuration. */
  public static TrainingSpec from(Config settings) {
    Config pipeline = settings.getConfig("pipeline");
    Config model = pipeline.getConfig("model");
    String name = model.getString("name").isBlank() ? pipeline.getString("name") : model.getString("name");
    if (name.isBlank()) {
      throw Errors.badConfigValue(ROOT + ".name", origin(settings, "name"),
          "a model needs a name; set it, or set pipeline.name");
    }
    Task task = parseTask(settings, model.getString("task"));
    String algorithm = model.getString("algorithm");
    if (!PARAMETERS.containsKey(algorithm)) {
      throw Errors.badConfigValue(ROOT + ".algorithm", origin(settings, "algorithm"),
          "'" + algorithm + "' is not one of " + PARAMETERS.keySet());
    }
    if (!TASKS.get(algorithm).contains(task)) {
      throw Errors.badConfigValue(ROOT + ".algorithm", origin(settings, "algorithm"),
          "'" + algorithm + "' does not do task '" + model.getString("task") + "'; it does " + TASKS.get(algorithm));
    }
    String metric = model.getString("metric");
    Optional<String> unfit = Metric.check(metric, task, TrainingMetrics.selectable(task),
        "a metric training can choose by");
    if (unfit.isPresent()) {
      throw Errors.badConfigValue(ROOT + ".metric", origin(settings, "metric"), unfit.get());
    }
    List<String> numeric = model.getStringList("numeric");
    List<String> categorical = model.getStringList("categorical");
    if (numeric.isEmpty() && categorical.isEmpty()) {
      throw Errors.badConfigValue(ROOT + ".numeric", origin(settings, "numeric"),
          "the model has no inputs; list feature columns in pipeline.model.numeric and/or pipeline.model.categorical");
    }
    int folds = model.getInt("folds");
    if (folds < 2) {
      throw Errors.badConfigValue(ROOT + ".folds", origin(settings, "folds"), "cross-validation needs at least 2 folds");
    }
    String split = model.getString("split.method");
    if (!split.equals("hash") && !split.equals("time")) {
      throw Errors.badConfigValue(ROOT + ".split.method", origin(settings, "split.method"), "use hash or time");
    }
    double testFraction = model.getDouble("split.test-fraction");
    if (testFraction <= 0 || testFraction >= 1) {
      throw Errors.badConfigValue(ROOT + ".split.test-fraction", origin(settings, "split.test-fraction"),
          "must be between 0 and 1 (exclusive)");
    }
    int partitions = model.getInt("partitions");
    if (partitions < 1) {
      throw Errors.badConfigValue(ROOT + ".partitions", origin(settings, "partitions"),
          "training lays its rows out in at least 1 partition; use a positive number, e.g. 8");
    }
    String classWeight = model.getString("class-weight");
    if (!classWeight.equals("none") && !classWeight.equals("balanced")) {
      throw Errors.badConfigValue(ROOT + ".class-weight", origin(settings, "class-weight"), "use none or balanced");
    }
    // Without a declared key, the row id validate adds: the split and the folds hash it like any key.
    List<String> entityKey = io.mlcycle.dataset.DatasetSpec.rowKey(settings);
    String eventTime = pipeline.getString("event-time");
    if (split.equals("time") && eventTime.isBlank()) {
      throw Errors.badConfigValue(ROOT + ".split.method", origin(settings, "split.method"),
          "a time split tests on the latest event times, but pipeline.event-time is empty. Set "
              + ROOT + ".split.method = hash, or set pipeline.event-time to a timestamp or date column");
    }
    return new TrainingSpec(name, task, algorithm, pipeline.getString("label.column"), List.copyOf(numeric),
        List.copyOf(categorical), grid(settings, model.getConfig("grid"), algorithm), metric, folds,
        model.getLong("seed"), split, testFraction, classWeight.equals("balanced"), model.getInt("max-iter"),
        model.getDouble("tolerance"), model.getLong("min-train-rows"), model.getDouble("leak-auc"),
        List.copyOf(entityKey), eventTime, partitions);
  }

  /** The task of {@code pipeline.model.task} alone: what the sections that depend only on it are parsed by. */
  public static Task task(Config settings) {
    return parseTask(settings, settings.getString(ROOT + ".task"));
  }

  private static Task parseTask(Config settings, String task) {
    return switch (task) {
      case "binary" -> Task.BINARY;
      case "multiclass" -> Task.MULTICLASS;
      case "regression" -> Task.REGRESSION;
      default -> throw Errors.badConfigValue(ROOT + ".task", origin(settings, "task"),
          "'" + task + "' is not one of binary, multiclass, regression");
    };
  }

  private static Map<String, List<Double>> grid(Config settings, Config grid, String algorithm) {
    Map<String, List<Double>> result = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : grid.root().entrySet()) {
      String key = ROOT + ".grid." + entry.getKey();
      if (!PARAMETERS.get(algorithm).contains(entry.getKey())) {
        throw Errors.badConfigValue(key, entry.getValue().origin().description(),
            "'" + entry.getKey() + "' is not a parameter of " + algorithm + "; use " + PARAMETERS.get(algorithm));
      }
      try {
        List<Double> values = new ArrayList<>(grid.getDoubleList(entry.getKey()));
        if (values.isEmpty()) {
          throw Errors.badConfigValue(key, entry.getValue().origin().description(), "the list of values is empty");
        }
        result.put(entry.getKey(), List.copyOf(values));
      } catch (ConfigException.WrongType e) {
        throw Errors.wrongConfigType(key, entry.getValue().origin().description(), "a list of numbers",
            entry.getValue().render());
      }
    }
    return Map.copyOf(result);
  }

  private static String origin(Config settings, String key) {
    String path = ROOT + "." + key;
    return settings.hasPath(path) ? settings.getValue(path).origin().description() : "reference.conf";
  }

  /** The same spec with another split: the one a past training run recorded, to find its holdout rows again. */
  public TrainingSpec withSplit(String method, double fraction, int foldCount, long splitSeed) {
    return new TrainingSpec(name, task, algorithm, label, numeric, categorical, grid, metric, foldCount, splitSeed,
        method, fraction, balanced, maxIterations, tolerance, minTrainRows, leakAuc, entityKey, eventTime, partitions);
  }

  /** Every input column, numeric first. */
  public List<String> inputs() {
    List<String> all = new ArrayList<>(numeric);
    all.addAll(categorical);
    return all;
  }

  /** The grid values of one parameter, or its single default. */
  public List<Double> gridValues(String parameter, double defaultValue) {
    return grid.getOrDefault(parameter, List.of(defaultValue));
  }
}
