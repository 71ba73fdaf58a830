package io.mlcycle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.config.Settings;
import io.mlcycle.testing.S3ProxyServer;
import io.mlcycle.testing.SparkTest;
import io.mlcycle.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delta on s3a:// against a real S3 server process: write, append, and time travel back. */
class DeltaOnS3Test extends SparkTest {
  @RegisterExtension
  static final S3ProxyServer S3 = new S3ProxyServer();

  @Test
  void deltaTableOnS3aAppendsAndTravelsBackInTime() throws IOException {
    String bucket = S3.createBucket();
    Settings settings = TestSpark.settings(S3.storageSets(bucket, "lake"));
    Configuration hadoop = spark().sparkContext().hadoopConfiguration();
    S3.connect(hadoop, bucket, settings);

    String table = Storage.at(settings.storageRoot()).path("tables/events");
    assertTrue(table.startsWith("s3a://" + bucket + "/lake/"), table);
    assertEquals(DeltaTables.NO_TABLE, DeltaTables.version(spark(), table));

    spark().range(0, 10).write().format("delta").save(table);
    spark().range(10, 15).write().format("delta").mode("append").save(table);

    assertEquals(1, DeltaTables.version(spark(), table));
    assertEquals(15, spark().read().format("delta").load(table).count());
    assertEquals(10, spark().read().format("delta").option("versionAsOf", 0).load(table).count());
    assertEquals(45L, spark().read().format("delta").option("versionAsOf", 0).load(table)
        .selectExpr("sum(id)").first().getLong(0));
    try (Stream<java.nio.file.Path> files = Files.walk(S3.blobDir().resolve(bucket))) {
      assertTrue(files.anyMatch(p -> p.toString().endsWith("00000000000000000001.json")),
          "the commit log lives on the S3 server");
    }
  }
}
