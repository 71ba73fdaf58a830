package io.mlcycle.jobs;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.base.Errors;
import io.mlcycle.base.TextTable;
import io.mlcycle.tracking.TrackingTables;
import java.util.List;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists recent runs, or shows one run in full: its executions, params, metrics and lineage. */
@Command(name = "runs", description = "List recent runs, or show one in full with --id (params, metrics, lineage).")
final class RunsJob extends JobCommand {
  @Option(names = "--id", paramLabel = "RUN_ID", description = "Show this run in full.")
  String id;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs to list (default 20).")
  int limit;

  @Override
  public void run(JobContext context) {
    TrackingTables tracking = new TrackingTables(context.spark(), context.storage());
    if (id == null) {
      list(context, tracking);
    } else {
      show(context, tracking);
    }
  }

  private void list(JobContext context, TrackingTables tracking) {
    List<Row> runs = tracking.read(TrackingTables.RUNS).orderBy(col("started_at").desc()).limit(limit)
        .select("started_at", "run_id", "job", "pipeline", "status", "seconds").collectAsList();
    TextTable table = new TextTable("started (UTC)", "run id", "job", "pipeline", "status", "seconds");
    runs.forEach(r -> table.row(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), String.format("%.1f", r.getDouble(5))));
    table.print(context.out());
    context.summary().count("runs", runs.size()).message("listed " + runs.size() + " runs");
  }

  private void show(JobContext context, TrackingTables tracking) {
    List<Row> executions = tracking.read(TrackingTables.RUNS).filter(col("run_id").equalTo(id))
        .orderBy("started_at").select("started_at", "job", "status", "seconds", "user", "mlcycle_version",
            "config_hash").collectAsList();
    if (executions.isEmpty()) {
      throw Errors.usage("Cannot show run " + id + ": no such run in " + tracking.path(TrackingTables.RUNS)
          + ". List the runs with 'mlcycle runs'.");
    }
    context.out().println("Run " + id);
    TextTable runs = new TextTable("started (UTC)", "job", "status", "seconds", "user", "mlcycle", "config hash");
    executions.forEach(r -> runs.row(r.get(0), r.get(1), r.get(2), String.format("%.1f", r.getDouble(3)), r.get(4),
        r.get(5), r.getString(6).substring(0, 12)));
    runs.print(context.out());
    section(context, "Params", tracking.read(TrackingTables.PARAMS).filter(col("run_id").equalTo(id))
        .select("model", "name", "value").orderBy("name").collectAsList(), "model", "name", "value");
    section(context, "Metrics", tracking.read(TrackingTables.METRICS).filter(col("run_id").equalTo(id))
        .select("scope", "grid_point", "fold", "name", "value").orderBy("scope", "grid_point", "fold", "name")
        .collectAsList(), "scope", "grid point", "fold", "name", "value");
    section(context, "Lineage", tracking.read(TrackingTables.LINEAGE).filter(col("run_id").equalTo(id))
        .select("kind", "name", "value").orderBy("kind", "name").collectAsList(), "kind", "name", "value");
    context.summary().count("executions", executions.size()).message("showed run " + id);
  }

  private static void section(JobContext context, String title, List<Row> rows, String... header) {
    if (rows.isEmpty()) {
      return;
    }
    context.out().println();
    context.out().println(title);
    TextTable table = new TextTable(header);
    for (Row row : rows) {
      Object[] cells = new Object[row.size()];
      for (int i = 0; i < row.size(); i++) {
        Object value = row.get(i);
        cells[i] = value instanceof Double d ? String.format("%.4f", d)
            : value instanceof Integer n && n == -1 ? "" : value;
      }
      table.row(cells);
    }
    table.print(context.out());
  }
}
