package io.mlcycle.openlineage;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What the Delta log says about a table's versions, read on the driver from the log files (no Spark job):
 * the schema at a version, and what the commits of a range of versions wrote.
 */
final class DeltaCommits {
  private static final String ROWS = "numOutputRows";
  private static final String BYTES = "numOutputBytes";
  private static final String FILES = "numFiles";

  private DeltaCommits() {}

  /**
   * The sums of the commits' {@code operationMetrics} over versions {@code (from, to]}; each is empty
   * when no commit in the range reported it (e.g. a commit that changed only metadata).
   */
  record Written(Optional<Long> rows, Optional<Long> bytes, Optional<Long> files) {}

  static StructType schemaAt(SparkSession spark, String path, long version) {
    return DeltaLog.forTable(spark, path).getSnapshotAt(version, Option.empty(), Option.empty(), false).schema();
  }

  static Written written(SparkSession spark, String path, long from, long to) {
    Map<String, Long> totals = new HashMap<>();
    Iterator<Tuple2<Object, scala.collection.immutable.Seq<Action>>> changes = CollectionConverters.asJava(
        DeltaLog.forTable(spark, path).getChanges(from + 1, to, Option.empty(), false));
    while (changes.hasNext()) {
      for (Action action : CollectionConverters.asJava(changes.next()._2())) {
        if (action instanceof CommitInfo commit && commit.operationMetrics().isDefined()) {
          Map<String, String> metrics = CollectionConverters.asJava(commit.operationMetrics().get());
          for (String key : List.of(ROWS, BYTES, FILES)) {
            if (metrics.containsKey(key)) {
              totals.merge(key, Long.parseLong(metrics.get(key)), Long::sum);
            }
          }
        }
      }
    }
    return new Written(Optional.ofNullable(totals.get(ROWS)), Optional.ofNullable(totals.get(BYTES)),
        Optional.ofNullable(totals.get(FILES)));
  }
}
