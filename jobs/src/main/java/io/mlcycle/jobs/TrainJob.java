package io.mlcycle.jobs;

import io.mlcycle.base.TextTable;
import io.mlcycle.evaluation.DecisionThreshold;
import io.mlcycle.training.ModelTrainer;
import io.mlcycle.training.TrainAction;
import io.mlcycle.training.TrainResult;
import io.mlcycle.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Cross-validated training on a pinned version of the feature table, tracked in Delta. */
@Command(name = "train", description = "Train with cross-validated grid search on the feature table; track the run.")
final class TrainJob extends JobCommand {
  @Option(names = "--features-version", paramLabel = "N",
      description = "Delta version of the feature table to train on (default: the latest).")
  Long featuresVersion;

  @Override
  public void run(JobContext context) {
    train(context, Optional.ofNullable(featuresVersion));
  }

  /** Trains on {@code featuresVersion} (default the latest), prints the grid and fills the summary. */
  static TrainResult train(JobContext context, Optional<Long> featuresVersion) {
    TrainingSpec spec = context.pipeline().training();
    TrainResult result = new TrainAction(context.runtime(), spec, context.pipeline().name(), context.pipeline().recordedConfig(),
        DecisionThreshold.trainingObjective(context.pipeline().evaluation()))
        .execute(featuresVersion);
    context.summary().input(result.featuresTable(), result.featuresVersion());
    if (result.nothingToDo()) {
      context.summary().nothingToDo(result.why());
      return result;
    }
    if (result.completed().isPresent()) {
      TrainResult.Written written = result.completed().get();
      context.out().println("Model " + result.modelPath() + " was saved by this run before it stopped; its "
          + "params, metrics and lineage are now recorded from its manifest");
      context.summary().output("_mlcycle/params", written.params()).output("_mlcycle/metrics", written.metrics())
          .output("_mlcycle/lineage", written.lineage())
          .message("completed run " + result.runId() + ": tracking rows of " + result.modelPath() + " recorded");
      return result;
    }
    TrainResult.Run run = result.run().orElseThrow();
    ModelTrainer.Trained trained = run.trained();
    run.threshold().ifPresent(t -> {
      context.out().printf("Decision threshold %.4f: the best business value on the validation folds%n", t);
      context.summary().count("threshold", round(t));
    });
    print(context, spec, trained, result.modelPath());
    context.summary()
        .output("_mlcycle/params", run.written().params())
        .output("_mlcycle/metrics", run.written().metrics())
        .output("_mlcycle/lineage", run.written().lineage())
        .count("train_rows", trained.trainRows())
        .count("test_rows", trained.testRows())
        .count("spark_jobs", run.sparkJobs())
        .count("train_seconds", round(run.seconds()))
        .count("optimizer_passes", trained.passes())
        .count("cv_" + spec.metric(), round(trained.chosen().mean()))
        .count("holdout_" + spec.metric(), round(trained.holdout().getOrDefault(spec.metric(), Double.NaN)))
        .message("trained " + spec.name() + " (" + spec.algorithm() + ", " + trained.chosen().params() + ") at "
            + result.modelPath());
    return result;
  }

  private static void print(JobContext context, TrainingSpec spec, ModelTrainer.Trained trained, String modelPath) {
    context.out().printf("Cross-validation (%d folds, %s):%n", spec.folds(), spec.metric());
    TextTable table = new TextTable("grid point", "params", "per fold", "mean ± std", "");
    for (int g = 0; g < trained.grid().size(); g++) {
      ModelTrainer.GridPoint point = trained.grid().get(g);
      StringBuilder folds = new StringBuilder();
      for (double v : point.foldMetrics()) {
        folds.append(folds.length() == 0 ? "" : " ").append(String.format("%.4f", v));
      }
      table.row(g, point.params(), folds, String.format("%.4f ± %.4f", point.mean(), point.std()),
          g == trained.best() ? "chosen" : "");
    }
    table.print(context.out());
    context.out().printf("Holdout (%d rows): %s%n", trained.testRows(), formatted(trained.holdout()));
    context.out().println("Model: " + modelPath);
  }

  private static String formatted(Map<String, Double> metrics) {
    List<String> parts = new ArrayList<>();
    metrics.forEach((name, value) -> {
      if (!name.equals("rows")) {
        parts.add(name + " " + String.format("%.4f", value));
      }
    });
    return String.join(", ", parts);
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }
}
