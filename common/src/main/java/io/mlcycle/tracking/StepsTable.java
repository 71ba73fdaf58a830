package io.mlcycle.tracking;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.base.StageRuntime;
import io.mlcycle.io.DeltaTables;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _mlcycle/steps}: one row per step of a batch's chain ({@code mlcycle run}) that succeeded, with
 * the table versions it read, so that a rerun skips the steps whose inputs are unchanged. A step's row is
 * written exactly once per (dataset, batch, step, run id).
 */
public final class StepsTable {
  public static final String TABLE = "steps";
  static final StructType SCHEMA = new StructType()
      .add("pipeline", DataTypes.StringType, false).add("batch_id", DataTypes.StringType, false)
      .add("step", DataTypes.StringType, false).add("inputs", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false).add("run_id", DataTypes.StringType, false)
      .add("finished_at", DataTypes.TimestampType, false);

  private final StageRuntime runtime;

  public StepsTable(StageRuntime runtime) {
    this.runtime = runtime;
  }

  /** Step → inputs of its latest success for the batch. */
  public Map<String, String> succeeded(String dataset, String batch) {
    Map<String, String> done = new LinkedHashMap<>();
    String path = runtime.storage().system(TABLE);
    if (!DeltaTables.exists(runtime.spark(), path)) {
      return done;
    }
    runtime.spark().read().format("delta").load(path)
        .where(col("pipeline").equalTo(dataset).and(col("batch_id").equalTo(batch))
            .and(col("status").equalTo("succeeded")))
        .orderBy("finished_at").select("step", "inputs").collectAsList()
        .forEach(r -> done.put(r.getString(0), r.getString(1)));
    return done;
  }

  /** Records that {@code step} of the batch succeeded on {@code inputs}, as this runtime's run. */
  public void recordSuccess(String dataset, String batch, String step, String inputs) {
    Row row = RowFactory.create(dataset, batch, step, inputs, "succeeded", runtime.runId(),
        Timestamp.from(runtime.clock().instant()));
    DeltaTables.appendOnce(runtime.spark().createDataFrame(List.of(row), SCHEMA), runtime.storage().system(TABLE),
        "steps/" + dataset + "/" + batch + "/" + step + "/" + runtime.runId());
  }
}
