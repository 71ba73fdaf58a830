package io.mlcycle.training;

import java.util.Optional;

/**
 * What a train action did: the feature-table version it read and the model path of its run, and, unless the
 * run had already trained that model (nothing to do), what it trained and wrote. {@code completed} holds the
 * tracking-table versions when the model was already there but its tracking rows were not (a run killed
 * after saving the model), and this run wrote them from the model's manifest.
 */
public record TrainResult(String runId, String featuresTable, long featuresVersion, String modelPath,
                          Optional<Run> run, Optional<Written> completed) {

  /**
   * One training: the grid, the chosen point, holdout metrics and row counts ({@code trained}), the lineage
   * recorded, the decision threshold chosen on the validation folds (when asked for), the tracking-table
   * versions written, and the Spark jobs and seconds it took.
   */
  public record Run(ModelTrainer.Trained trained, Lineage lineage, Optional<Double> threshold, Written written,
                    long sparkJobs, double seconds) {}

  /** The versions of {@code _mlcycle/params}, {@code _mlcycle/metrics} and {@code _mlcycle/lineage} after the run. */
  public record Written(long params, long metrics, long lineage) {}

  public boolean nothingToDo() {
    return run.isEmpty() && completed.isEmpty();
  }

  /** Why there was nothing to do (meaningful when {@link #nothingToDo()}). */
  public String why() {
    return "run " + runId + " already trained " + modelPath;
  }
}
