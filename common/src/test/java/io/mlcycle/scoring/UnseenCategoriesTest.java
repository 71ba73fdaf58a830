package io.mlcycle.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mlcycle.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The rows with an unseen category are counted for any number of categorical features: a pipeline with
 * exactly one used to fail scoring, after its smoke test had passed ({@code greatest} takes two or more).
 */
class UnseenCategoriesTest extends SparkTest {
  @Test
  void rowsWithAnUnseenCategoryAreCountedForNoneOneOrSeveralCategoricalFeatures() {
    var flags = spark().createDataFrame(List.of(row(1, 0), row(0, 0), row(1, 1), row(0, 1)),
        new StructType().add("_unseen_origin", "int").add("_unseen_carrier", "int"));
    assertEquals(0L, count(flags, List.of()));
    assertEquals(2L, count(flags, List.of("_unseen_origin")));
    assertEquals(3L, count(flags, List.of("_unseen_origin", "_unseen_carrier")));
  }

  private static long count(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows, List<String> flags) {
    return rows.agg(functions.sum(ScoreAction.anyUnseen(flags)).cast("long")).first().getLong(0);
  }
}
