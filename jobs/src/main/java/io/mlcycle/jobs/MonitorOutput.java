package io.mlcycle.jobs;

import io.mlcycle.base.TextTable;
import io.mlcycle.monitoring.DriftReport;
import io.mlcycle.monitoring.FeatureDrift;
import io.mlcycle.monitoring.MonitorResult;
import io.mlcycle.monitoring.RealisedPerformance;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the monitor stage prints of its result, for the monitor job and the composites that monitor. */
final class MonitorOutput {
  private MonitorOutput() {}

  /** Each version's drift, the realised performance, the jobs' health, the alerts; nothing if nothing was measured. */
  static void print(PrintStream out, MonitorResult result) {
    if (!result.measured()) {
      return;
    }
    String batchId = result.batchId().orElseThrow();
    for (MonitorResult.VersionDrift drift : result.drift()) {
      if (drift.alreadyRecorded()) {
        out.printf("Drift of batch %s for version %d: already recorded%n", batchId, drift.version());
      } else {
        printDrift(out, drift.version(), batchId, drift.report().orElseThrow());
      }
    }
    printPerformance(out, batchId, result.performance());
    printHealth(out, result);
    result.alerts().forEach(a -> out.println("ALERT: " + a));
  }

  private static void printDrift(PrintStream out, int version, String batchId, DriftReport report) {
    out.printf("Drift of batch %s (%d rows) against the reference of version %d: %d of %d features drifted"
            + " (share %.2f)%s%n", batchId, report.rows(), version, report.drifted(), report.features().size(),
        report.share(), report.prediction().map(p -> String.format("; prediction PSI %.3f", p.psi())).orElse(""));
    TextTable table = new TextTable("feature", "kind", "PSI", "KS", "chi2 p", "JS", "drifted");
    report.features().stream().sorted(Comparator.comparingDouble(FeatureDrift::psi).reversed()).limit(8)
        .forEach(f -> table.row(f.feature(), f.kind(), format(f.psi()), format(f.ks()), format(f.chi2PValue()),
            format(f.js()), f.drifted() ? "yes" : ""));
    table.print(out);
  }

  private static void printPerformance(PrintStream out, String batchId, MonitorResult.Performance performance) {
    switch (performance.labels()) {
      case NO_FEATURE_TABLE -> out.println("Realised performance: no labels yet (no feature table)");
      case NOT_YET -> out.printf("Realised performance of batch %s: no labels yet%n", batchId);
      case MEASURED -> printRealised(out, batchId, performance.report().orElseThrow());
      case NONE -> { }
    }
  }

  private static void printRealised(PrintStream out, String batchId, RealisedPerformance.Report report) {
    out.printf("Realised performance of batch %s (labels joined to predictions; %d labels matched no"
        + " prediction):%n", batchId, report.unmatchedLabels());
    List<String> measured = report.versions().stream().flatMap(v -> v.measured().keySet().stream()).distinct()
        .sorted().toList();
    List<String> header = new ArrayList<>(List.of("role", "version", "predicted", "labelled", "coverage"));
    header.addAll(measured);
    TextTable table = new TextTable(header.toArray(String[]::new));
    report.versions().forEach(v -> {
      List<Object> row = new ArrayList<>(List.of(v.role(), v.modelVersion(), v.predicted(), v.labelled(),
          String.format("%.2f", v.coverage())));
      measured.forEach(m -> row.add(format(v.metric(m))));
      table.row(row.toArray());
    });
    table.print(out);
  }

  private static void printHealth(PrintStream out, MonitorResult result) {
    if (result.health().isEmpty()) {
      return;
    }
    out.println("System health (_mlcycle/runs):");
    TextTable table = new TextTable("job", "runs", "failures", "failure rate", "median s", "last s", "last status",
        "rows processed");
    result.health().forEach(h -> table.row(h.job(), h.runs(), h.failures(), String.format("%.2f", h.failureRate()),
        String.format("%.1f", h.medianSeconds()), String.format("%.1f", h.lastSeconds()), h.lastStatus(),
        h.rowsProcessed()));
    table.print(out);
  }

  private static String format(Double value) {
    return value == null || value.isNaN() ? "" : String.format("%.3f", value);
  }
}
