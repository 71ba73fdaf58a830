package io.mlcycle.evaluation;

import static org.apache.spark.sql.functions.col;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code _mlcycle/gates}: every gate of every evaluation with its value, threshold and outcome, and the
 * decision. An evaluation is keyed by the candidate run and the champion version it was compared with,
 * and recorded exactly once: evaluating the same pair again reads the recorded decision back.
 */
public final class GateLog {
  public static final String TABLE = "gates";

  static final StructType SCHEMA = new StructType()
      .add("evaluation_run_id", DataTypes.StringType, false).add("candidate_run_id", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false).add("champion_version", DataTypes.IntegerType, true)
      .add("gate", DataTypes.StringType, false).add("metric", DataTypes.StringType, false)
      .add("slice", DataTypes.StringType, true).add("value", DataTypes.DoubleType, true)
      .add("threshold", DataTypes.DoubleType, false).add("passed", DataTypes.BooleanType, false)
      .add("mode", DataTypes.StringType, false).add("decision", DataTypes.StringType, false)
      .add("evaluated_at", DataTypes.TimestampType, false);

  private final SparkSession spark;
  private final Storage storage;

  public GateLog(SparkSession spark, Storage storage) {
    this.spark = spark;
    this.storage = storage;
  }

  /** A recorded evaluation: its run, decision and gates. */
  public record Recorded(String evaluationRunId, String decision, List<GateCheck.Result> gates) {}

  public static String key(String model, String candidateRunId, Optional<Integer> championVersion) {
    return "gates/" + model + "/" + candidateRunId + "/vs-" + championVersion.map(String::valueOf).orElse("none");
  }

  public Optional<Recorded> recorded(String model, String candidateRunId, Optional<Integer> championVersion) {
    String path = path();
    if (!DeltaTables.committed(spark, path, key(model, candidateRunId, championVersion))) {
      return Optional.empty();
    }
    var rows = spark.read().format("delta").load(path)
        .where(col("model").equalTo(model).and(col("candidate_run_id").equalTo(candidateRunId))
            .and(championVersion.map(v -> col("champion_version").equalTo(v))
                .orElse(col("champion_version").isNull())))
        .orderBy("gate", "metric", "slice").collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<GateCheck.Result> gates = new ArrayList<>();
    for (Row r : rows) {
      if (!r.getString(4).equals("decision")) {
        gates.add(new GateCheck.Result(r.getString(4), r.getString(5), r.getString(6),
            r.isNullAt(7) ? Double.NaN : r.getDouble(7), r.getDouble(8), r.getBoolean(9)));
      }
    }
    return Optional.of(new Recorded(rows.get(0).getString(0), rows.get(0).getString(11), gates));
  }

  /** Records the gates and a final row {@code gate = decision}; returns the table version. */
  public long record(String evaluationRunId, String candidateRunId, String model, Optional<Integer> championVersion,
                     List<GateCheck.Result> gates, String mode, String decision, Timestamp at) {
    List<Row> rows = new ArrayList<>();
    Integer champion = championVersion.orElse(null);
    for (GateCheck.Result g : gates) {
      rows.add(RowFactory.create(evaluationRunId, candidateRunId, model, champion, g.gate(), g.metric(), g.slice(),
          Double.isNaN(g.value()) ? null : g.value(), g.threshold(), g.passed(), mode, decision, at));
    }
    long passed = gates.stream().filter(GateCheck.Result::passed).count();
    rows.add(RowFactory.create(evaluationRunId, candidateRunId, model, champion, "decision", "gates passed", null,
        (double) passed, (double) gates.size(), decision.equals("go"), mode, decision, at));
    return DeltaTables.appendOnce(spark.createDataFrame(rows, SCHEMA), path(),
        key(model, candidateRunId, championVersion));
  }

  public String path() {
    return storage.system(TABLE);
  }
}
