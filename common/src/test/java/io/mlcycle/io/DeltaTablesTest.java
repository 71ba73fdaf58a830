package io.mlcycle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.SparkTest;
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
}
