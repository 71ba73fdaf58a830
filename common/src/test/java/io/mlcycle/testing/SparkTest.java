package io.mlcycle.testing;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that need Spark: the shared session, a fresh folder per test, and row helpers. */
public abstract class SparkTest {
  @TempDir
  protected Path tempDir;

  protected static SparkSession spark() {
    return TestSpark.session();
  }

  protected static List<Row> sql(String query, Object... args) {
    return spark().sql(String.format(query, args)).collectAsList();
  }

  protected static Row row(Object... values) {
    return RowFactory.create(values);
  }
}
