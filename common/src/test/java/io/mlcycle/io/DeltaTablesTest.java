package io.mlcycle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DeltaTablesTest extends SparkTest {
  @Test
  void appendOnceWritesEachAppIdOnce() {
    String table = tempDir.resolve("t").toUri().toString();
    Dataset<Row> batch = spark().range(0, 5).toDF();
    assertEquals(DeltaTables.NO_TABLE, DeltaTables.version(spark(), table));
    assertFalse(DeltaTables.committed(spark(), table, "batch-1"));

    assertEquals(0, DeltaTables.appendOnce(batch, table, "batch-1"));
    assertEquals(0, DeltaTables.appendOnce(batch, table, "batch-1"), "a retry commits nothing");
    assertEquals(1, DeltaTables.appendOnce(spark().range(5, 7).toDF(), table, "batch-2"));

    assertTrue(DeltaTables.committed(spark(), table, "batch-1"));
    assertEquals(7, spark().read().format("delta").load(table).count());
  }

  /**
   * Two writers creating the same new table at once (two ingests into a new root, two scorers, two
   * monitors): one commits first and Delta refuses the other's protocol or metadata; both must land.
   */
  @Test
  void concurrentFirstAppendsToANewTableBothLand() throws Exception {
    java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 4; round++) {
        String table = tempDir.resolve("new-" + round).toUri().toString();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<java.util.concurrent.Future<Long>> writes = new java.util.ArrayList<>();
        for (String writer : List.of("a", "b")) {
          writes.add(writers.submit(() -> {
            Dataset<Row> rows = spark().range(0, 3).toDF();
            start.await();
            return DeltaTables.appendOnce(rows, table, "writer-" + writer);
          }));
        }
        for (java.util.concurrent.Future<Long> write : writes) {
          write.get();
        }
        assertEquals(6, spark().read().format("delta").load(table).count(), "round " + round);
        assertEquals(java.util.Set.of("writer-a", "writer-b"), DeltaTables.appIds(spark(), table));
      }
    } finally {
      writers.shutdownNow();
    }
  }

  /**
   * A name Parquet cannot store (spaces, parentheses) gets Delta column mapping: on the table it creates, and on
   * a table created before such a column arrived with schema evolution.
   */
  @Test
  void aColumnNameWithSpacesIsMappedByNameOnANewAndOnAnEvolvedTable() {
    String created = tempDir.resolve("created").toUri().toString();
    DeltaTables.appendOnce(spark().range(0, 3).selectExpr("id as `Unit Price ($)`"), created, "a",
        DeltaTables.appendOptions(List.of("Unit Price ($)"), false));
    assertEquals("name", mode(created));
    assertEquals(3, spark().read().format("delta").load(created).where("`Unit Price ($)` < 5").count());

    String evolved = tempDir.resolve("evolved").toUri().toString();
    DeltaTables.appendOnce(spark().range(0, 2).toDF(), evolved, "a");
    assertEquals("", mode(evolved), "a table of plain names is left as every reader reads it");
    DeltaTables.appendOnce(spark().range(2, 4).selectExpr("id", "id * 2 as `order time`"), evolved, "b",
        DeltaTables.appendOptions(List.of("id"), true));
    assertEquals("name", mode(evolved));
    assertEquals(List.of(row(3L, 6L)), spark().read().format("delta").load(evolved).where("id = 3").collectAsList());
  }

  private static String mode(String table) {
    return spark().sql("SHOW TBLPROPERTIES delta.`" + table + "`").collectAsList().stream()
        .filter(r -> r.getString(0).equals("delta.columnMapping.mode")).map(r -> r.getString(1)).findFirst().orElse("");
  }
}
