package io.mlcycle.monitoring;

import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The health of the pipeline's jobs from {@code _mlcycle/runs} (one row per execution), in one small
 * aggregation: per job how often it ran and failed, how long it takes, how it last ended and how many
 * rows it processed.
 *
 * <p>A run's rows processed is the largest count in its summary named {@code rows}, {@code rows_*} or
 * {@code *_rows} (ingest's {@code rows_read}, validate's {@code rows_in}, train's {@code train_rows}, …): the
 * largest because the others are parts of it ({@code rows_in = rows_silver + rows_quarantined + …}).
 */
public final class SystemHealth {
  private static final String ROWS_PROCESSED = "array_max(transform(map_values(map_filter("
      + "from_json(get_json_object(summary, '$.counts'), 'map<string,string>'), "
      + "(k, v) -> k = 'rows' or k like 'rows\\\\_%' or k like '%\\\\_rows')), v -> try_cast(v as double)))";

  private SystemHealth() {}

  /**
   * One job's record.
   *
   * @param failures runs that did not succeed (any non-zero exit: errors, refused gates, bad usage)
   * @param unexpectedFailures runs that ended with exit 1, a bug or the infrastructure
   * @param rowsProcessed summed over the runs whose summary counted rows
   */
  public record JobHealth(String job, long runs, long failures, long unexpectedFailures, double medianSeconds,
                          double lastSeconds, String lastStatus, Instant lastStartedAt, long rowsProcessed) {
    public double failureRate() {
      return runs == 0 ? 0 : (double) failures / runs;
    }
  }

  /** Per job, by name, from rows of the runs table ({@code TrackingTables.read(RUNS)}). */
  public static List<JobHealth> of(Dataset<Row> runs) {
    Column started = functions.col("started_at");
    return runs.groupBy("job").agg(
            functions.count(functions.lit(1)),
            functions.count_if(functions.col("exit_code").notEqual(0)),
            functions.count_if(functions.col("exit_code").equalTo(1)),
            functions.percentile_approx(functions.col("seconds"), functions.lit(0.5), functions.lit(10_000)),
            functions.max_by(functions.col("seconds"), started),
            functions.max_by(functions.col("status"), started),
            functions.max(started),
            functions.sum(functions.expr(ROWS_PROCESSED)).cast("long"))
        .orderBy("job").collectAsList().stream()
        .map(r -> new JobHealth(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getDouble(4),
            r.getDouble(5), r.getString(6), r.getTimestamp(7).toInstant(), r.isNullAt(8) ? 0 : r.getLong(8)))
        .toList();
  }
}
