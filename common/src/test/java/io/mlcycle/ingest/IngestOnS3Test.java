package io.mlcycle.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.dataset.InputFiles;
import io.mlcycle.io.Storage;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.quality.SchemaDriftPolicy;
import io.mlcycle.testing.PipelineFixture;
import io.mlcycle.testing.S3ProxyServer;
import io.mlcycle.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ingest with both the raw files and the tables on s3a:// against a real S3 server process. */
class IngestOnS3Test extends SparkTest {
  @RegisterExtension
  static final S3ProxyServer S3 = new S3ProxyServer();

  @Test
  void aRawGlobOnS3aLandsInBronzeOnS3aWithItsQuarantine() throws Exception {
    String bucket = S3.createBucket();
    PipelineFixture pipeline = new PipelineFixture(tempDir, spark()).set(S3.storageSets(bucket, "lake"));
    Configuration hadoop = spark().sparkContext().hadoopConfiguration();
    S3.connect(hadoop, bucket, pipeline.settings());
    Path raw = new Path("s3a://" + bucket + "/landing/2001-03.csv");
    try (FSDataOutputStream outStream = raw.getFileSystem(hadoop).create(raw)) {
      outStream.write((PipelineFixture.HEADER + "\nF1,2001-03-01 10:00:00,5,300,SFO,LAX\nF2,broken\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    InputFiles files = InputFiles.resolve("s3a://" + bucket + "/landing/*.csv", hadoop);
    Storage storage = Storage.at(pipeline.settings().storageRoot());

    IngestResult result = new BatchIngest(spark(), pipeline.spec(), storage, SchemaDriftPolicy.FAIL, "s3-run",
        PipelineFixture.CLOCK).ingest(files.defaultBatchId(), files.files());

    assertEquals("2001-03", result.batchId());
    assertEquals(1, result.rowsBronze());
    assertEquals(1, result.rowsQuarantined());
    assertTrue(storage.bronze("flights").startsWith("s3a://" + bucket + "/lake/"));
    assertEquals(List.of(row("F1", "s3a://" + bucket + "/landing/2001-03.csv")),
        sql("SELECT flight_id, _source_file FROM delta.`%s`", storage.bronze("flights")));
  }
}
