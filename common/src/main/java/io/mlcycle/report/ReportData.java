package io.mlcycle.report;

import io.mlcycle.metrics.Metric;
import io.mlcycle.metrics.Task;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything a report shows, read once: one small collected frame per section. A frame is empty
 * ({@link Optional#empty()}) when the table it comes from does not exist yet, so the section can say
 * which job makes it instead of showing anything made up. What the model is (its task, the metric it was
 * chosen by, its classes) comes from the run's params, so every section speaks of the task's metrics.
 *
 * @param batches       per batch: rows checked by validate and rows quarantined ({@code _mlcycle/quality}, quarantine)
 * @param quarantined   per batch and reason: quarantined rows (quarantine/&lt;dataset&gt;)
 * @param ruleOutcomes  per batch and rule: failed rows, severity and status ({@code _mlcycle/quality})
 * @param nullShares    per batch and column: the share of nulls ({@code _mlcycle/profiles})
 * @param featureVersions every feature version of the dataset ({@code _mlcycle/feature_versions})
 * @param reference     the reference bins of the run's feature version ({@code _mlcycle/feature_reference})
 * @param trainingMetrics the run's metrics: folds, CV mean and std, holdout, univariate AUC ({@code _mlcycle/metrics})
 * @param params        the run's parameters ({@code _mlcycle/params})
 * @param weights       the model's coefficients or feature importances, from its artifact
 * @param evaluationMetrics the evaluation run's metrics by scope ({@code _mlcycle/metrics}); empty before evaluate
 * @param gates         the evaluation's gate rows ({@code _mlcycle/gates})
 * @param models        the model's registered versions ({@code _mlcycle/models})
 * @param aliases       the model's alias moves in order ({@code _mlcycle/model_aliases})
 * @param drift         drift per feature and batch ({@code _mlcycle/drift})
 * @param performance   realised performance by role and batch, and worst slices ({@code _mlcycle/performance})
 * @param decisions     retrain decisions ({@code _mlcycle/decisions})
 * @param lineage       the run's lineage entries ({@code _mlcycle/lineage})
 * @param runs          the pipeline's job executions ({@code _mlcycle/runs})
 */
public record ReportData(ReportSubject subject, Optional<Frame> batches, Optional<Frame> quarantined,
                         Optional<Frame> ruleOutcomes, Optional<Frame> nullShares, Optional<Frame> featureVersions,
                         Optional<Frame> reference, Optional<Frame> trainingMetrics, Optional<Frame> params,
                         Optional<Frame> weights, Optional<Frame> evaluationMetrics, Optional<Frame> gates,
                         Optional<Frame> models, Optional<Frame> aliases, Optional<Frame> drift,
                         Optional<Frame> performance, Optional<Frame> decisions, Optional<Frame> lineage,
                         Optional<Frame> runs, Optional<Frame> reproductions) {

  /** The model's task as its training run recorded it; binary for a run from before tasks were recorded. */
  public Task task() {
    return Task.recorded(param("task"));
  }

  /**
   * The metric training chose the model by ({@code pipeline.model.metric}, recorded as param {@code metric}),
   * else the task's headline metric.
   */
  public Metric selectionMetric() {
    return task().selection(param("metric"));
  }

  /** A multiclass model's classes in index order (param {@code classes}); empty for other models. */
  public List<String> classes() {
    return param("classes").filter(c -> !c.isEmpty()).map(c -> Arrays.asList(c.split(","))).orElse(List.of());
  }

  private Optional<String> param(String name) {
    return params.flatMap(p -> p.where("name", name).rows().stream().findFirst()).map(r -> Frame.text(r, "value"));
  }
}
