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
}
