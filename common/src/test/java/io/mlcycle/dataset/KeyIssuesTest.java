package io.mlcycle.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Null and repeated entity keys are counted, and a join on the match column pairs each row at most once. */
class KeyIssuesTest extends SparkTest {
  private static Dataset<Row> rows() {
    return spark().sql("SELECT * FROM VALUES ('a', 'x', 1), ('b', 'x', 2), ('b', 'x', 3), (null, 'x', 4), "
        + "('b', 'y', 5), ('c', null, 6) AS t(`visit id`, site, value)");
  }

  @Test
  void nullsAndRepeatsAreCountedPerScope() {
    assertEquals(new KeyIssues.Counts(6, 2, 2), KeyIssues.count(rows(), List.of("visit id", "site"), List.of()));
    assertEquals(new KeyIssues.Counts(6, 1, 3), KeyIssues.count(rows(), List.of("visit id"), List.of()));
    KeyIssues.Counts clean = KeyIssues.count(rows().where("value = 1"), List.of("visit id"), List.of());
    assertEquals(0, clean.unmatchable());
    assertTrue(clean.warning(List.of("visit id"), "rows").isEmpty());
    String warning = KeyIssues.count(rows(), List.of("visit id"), List.of()).warning(List.of("visit id"), "rows")
        .orElseThrow();
    assertTrue(warning.startsWith("4 of 6 rows") && warning.contains("pipeline.entity-key"), warning);
  }

  @Test
  void onlyARowWhoseKeyIdentifiesItGetsAMatch() {
    List<Row> matched = KeyIssues.withMatch(rows(), List.of("visit id", "site"), List.of(), "_m")
        .where("_m IS NOT NULL").orderBy("value").select("value").collectAsList();
    assertEquals(List.of(row(1), row(5)), matched);
  }
}
