package io.mlcycle.jobs;

import io.mlcycle.base.TextTable;
import io.mlcycle.scoring.PredictionsTable;
import io.mlcycle.scoring.ScoreAction;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One silver batch → {@code predictions/<pipeline>}: the champion, and the challenger as canary or shadow. */
@Command(name = "score", description = "Score one silver batch with the champion (and the challenger as canary or "
    + "shadow) into predictions/<pipeline>.")
final class ScoreJob extends JobCommand {
  @Option(names = "--batch", paramLabel = "ID", description = "The silver batch to score (default: the latest), or the"
      + " batch id of --input.")
  String batch;

  @Option(names = "--input", paramLabel = "PATH", description = "Score this table of silver-shaped rows (Delta, or"
      + " Parquet) instead of a silver batch; needs --batch. Windows still reach back into silver.")
  String input;

  @Override
  public void run(JobContext context) {
    score(context, Optional.ofNullable(batch), Optional.ofNullable(input));
  }

  /** Scores {@code batch} (default the latest), or the {@code input} table as that batch; prints and summarises. */
  static ScoreAction.Result score(JobContext context, Optional<String> batch, Optional<String> input) {
    String dataset = context.pipeline().name();
    ScoreAction.Result result = new ScoreAction(context.runtime(), context.pipeline().scoringSetup())
        .score(batch, input);
    context.summary().input("silver/" + dataset, result.silverVersion()).count("batch", result.batchId());
    result.input().ifPresent(table -> context.summary().count("input", table));
    context.summary().output(PredictionsTable.name(dataset), result.predictionsVersion());
    if (result.nothingToDo().isPresent()) {
      context.summary().nothingToDo(result.nothingToDo().get());
      return result;
    }
    print(context, result);
    context.summary()
        .count("rows", result.rows())
        .count("rows_with_unseen_categories", result.rowsWithUnseen())
        .count("champion_version", result.championVersion())
        .count("spark_jobs", result.sparkJobs())
        .message("scored batch " + result.batchId() + ": " + result.rows() + " rows, champion version "
            + result.championVersion() + result.challengerVersion().map(c -> ", challenger version " + c + " ("
            + context.pipeline().scoring().mode() + ")").orElse(""));
    result.challengerVersion().ifPresent(c -> context.summary().count("challenger_version", c));
    KeyCounts.summarise(context, result.keys(), result.warnings());
    return result;
  }

  /** What a run scored, "role vN: rows" per arm, for the demo's table. */
  static String arms(ScoreAction.Result result) {
    return result.nothingToDo().isPresent() ? "already scored" : String.join(", ", result.arms().stream()
        .map(a -> a.role() + " v" + a.modelVersion() + ": " + a.rows()).toList());
  }

  private static void print(JobContext context, ScoreAction.Result result) {
    context.out().println("Scored batch " + result.batchId() + ":");
    TextTable table = new TextTable("role", "model version", "rows", "rows with unseen categories");
    result.arms().forEach(a -> table.row(a.role(), a.modelVersion(), a.rows(), a.rowsWithUnseen()));
    table.print(context.out());
    if (!result.unseenByFeature().isEmpty()) {
      context.out().println("Unseen categories (scored as 'other'), rows per feature: " + String.join(", ",
          result.unseenByFeature().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
    }
  }
}
