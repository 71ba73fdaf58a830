package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.PipelineFixture;
import io.mlcycle.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ingest and validate jobs through the runner: exit codes, summaries and reruns as an orchestrator sees them. */
class IngestValidateJobsTest extends SparkTest {
  private JobRun last;

  private int run(String... args) {
    last = JobRun.of(PipelineFixture.CLOCK, args);
    return last.code();
  }

  private String summary() {
    return last.summaryLine();
  }

  @Test
  void ingestThenValidateSucceedARerunHasNothingToDoAndAnErrorRuleExitsThree() throws Exception {
    Path pipeline = tempDir.resolve("mini.conf");
    Files.writeString(pipeline, """
        pipeline {
          name = mini
          entity-key = [flight_id]
          event-time = date
          source.options.timestampFormat = "yyyy-MM-dd HH:mm:ss"
        %s
          quality.rules = [ { type = min-row-count, min = 2, severity = error } ]
        }
        """.formatted(PipelineFixture.SCHEMA));
    Path raw = Files.createDirectories(tempDir.resolve("raw"));
    Files.writeString(raw.resolve("2001-01.csv"), PipelineFixture.HEADER + "\nF1,2001-01-01 10:00:00,5,300,SFO,LAX\n"
        + "F2,2001-01-01 11:00:00,7,300,SFO,LAX\nF3,2001-01-01 11:00:00,n/a,300,SFO,LAX\n");
    Files.writeString(raw.resolve("2001-02.csv"), PipelineFixture.HEADER + "\nF4,2001-02-01 10:00:00,5,300,SFO,LAX\n");
    String[] common = {"--pipeline", pipeline.toString(), "--set", "mlcycle.storage.root=" + tempDir.resolve("lake")};

    assertEquals(0, run(concat(new String[] {"ingest", "--input", raw.resolve("2001-01.csv").toString()}, common)));
    assertTrue(summary().contains("\"rows_read\":3,\"rows_bronze\":2,\"rows_quarantined\":1"), summary());
    assertTrue(summary().contains("\"batch_ids\":\"2001-01\""), summary());

    assertEquals(0, run(concat(new String[] {"ingest", "--input", raw.resolve("2001-01.csv").toString()}, common)));
    assertTrue(summary().contains("\"status\":\"nothing_to_do\""), summary());

    assertEquals(0, run(concat(new String[] {"validate"}, common)));
    assertTrue(summary().contains("\"rows_in\":2,\"rows_silver\":2,\"rows_quarantined\":0,\"rows_duplicate\":0"), summary());
    assertEquals(0, run(concat(new String[] {"validate"}, common)));
    assertTrue(summary().contains("\"status\":\"nothing_to_do\""), summary());

    assertEquals(0, run(concat(new String[] {"ingest", "--input", raw.resolve("2001-02.csv").toString()}, common)));
    assertEquals(3, run(concat(new String[] {"validate", "--batch-id", "2001-02"}, common)));
    assertTrue(last.err().contains("min-row-count"), last.err());
    assertTrue(summary().contains("\"status\":\"data_quality_failed\""), summary());

    String missing = tempDir.resolve("raw/2001-13.csv").toString();
    assertEquals(2, run(concat(new String[] {"ingest", "--input", missing}, common)));
    assertTrue(last.err().contains("Cannot read input " + missing + ": it does not exist"),
        last.err());
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
