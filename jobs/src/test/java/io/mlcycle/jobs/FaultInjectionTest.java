package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection suite ({@link FaultInjection}): {@code kill -9} at the jobs' commits and at random
 * times, each followed by the same command, leaves every table and model file as a clean run of the same
 * commands does, and a planted secret reaches no output, log, file or table. Short mode (a dozen kills) in
 * every {@code mvn verify}; {@code bench/faults.sh} runs the full mode ({@code -Dmlcycle.faults=full}).
 * The report is written to {@code jobs/target/faults/report-<mode>.txt}.
 */
class FaultInjectionTest {
  @Test
  void killedJobsRerunToTheCleanRunsTablesAndNoSecretLeaks() throws Exception {
    FaultInjection.Mode mode = "full".equalsIgnoreCase(System.getProperty("mlcycle.faults", "short"))
        ? FaultInjection.Mode.FULL : FaultInjection.Mode.SHORT;
    long seed = Long.getLong("mlcycle.faults.seed", 15);
    Path work = Path.of("target", "faults");
    if (Files.exists(work)) {
      try (var tree = Files.walk(work)) {
        tree.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    Files.createDirectories(work);
    FaultInjection.Report report = new FaultInjection(mode, seed, work.toAbsolutePath(), TestSpark.session(),
        new PlantedSecret()).run();
    System.out.println(report.text());

    assertEquals(java.util.List.of(), report.failures(), report.text());
    assertEquals(java.util.List.of(), report.comparison().differences(), report.text());
    assertTrue(report.kills() >= (mode == FaultInjection.Mode.FULL ? 60 : 10), report.text());
    assertTrue(report.comparison().tables() >= 18, report.text());
  }
}
