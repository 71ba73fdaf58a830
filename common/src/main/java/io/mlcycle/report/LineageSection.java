package io.mlcycle.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chain from data to deployment for the run: silver and feature table versions, the feature
 * definitions, the run with its hashes, the model artifact, the registry versions it became, and every
 * job execution of the pipeline.
 */
final class LineageSection {
  private LineageSection() {}

  static ReportSection build(ReportData data) {
    Frame lineage = data.lineage().orElse(null);
    if (lineage == null || lineage.isEmpty()) {
      return new ReportSection(Chapter.LINEAGE, "lineage", "Lineage",
          List.of(new ReportBlock.Missing("the lineage of run " + data.subject().runId() + " (_mlcycle/lineage)",
              "mlcycle train")));
    }
    List<ReportBlock> blocks = new ArrayList<>();
    blocks.add(new ReportBlock.Text("Chain: " + String.join("  →  ", chain(data, lineage))));
    blocks.add(new ReportBlock.Table("Lineage of run " + data.subject().runId(), "_mlcycle/lineage", lineage));
    data.reproductions().filter(r -> !r.isEmpty()).ifPresentOrElse(reproductions -> blocks.add(new ReportBlock.Table(
            "Reproductions of " + data.subject().model() + ": each version trained again from its lineage alone",
            "_mlcycle/reproductions", reproductions)),
        () -> blocks.add(new ReportBlock.Missing("a reproduction of the model's versions (_mlcycle/reproductions)",
            "mlcycle reproduce --all")));
    data.runs().filter(r -> !r.isEmpty()).ifPresent(runs ->
        blocks.add(new ReportBlock.Table("Job executions of the pipeline", "_mlcycle/runs", runs)));
    return new ReportSection(Chapter.LINEAGE, "lineage", "Lineage", blocks);
  }

  private static List<String> chain(ReportData data, Frame lineage) {
    List<String> links = new ArrayList<>();
    String silver = "silver/" + data.subject().pipeline();
    String features = "features/" + data.subject().pipeline();
    value(lineage, "table", silver).ifPresent(v -> links.add(silver + " @ v" + v));
    value(lineage, "feature_definitions", "version").ifPresent(v -> links.add("feature version " + v + " (hash "
        + value(lineage, "feature_definitions", "hash").map(h -> h.substring(0, Math.min(12, h.length()))).orElse("?")
        + ")"));
    value(lineage, "table", features).ifPresent(v -> links.add(features + " @ v" + v));
    links.add("run " + data.subject().runId() + " (config " + value(lineage, "hash", "config")
        .map(h -> h.substring(0, Math.min(12, h.length()))).orElse("?") + ", mlcycle "
        + value(lineage, "version", "mlcycle").orElse("?") + ")");
    links.add("models/" + data.subject().model() + "/" + data.subject().runId());
    data.models().ifPresent(models -> models.where("run_id", data.subject().runId()).rows().forEach(m ->
        links.add("registry " + data.subject().model() + " v" + Frame.text(m, "version") + " ("
            + Frame.text(m, "decision") + ")")));
    return links;
  }

  private static Optional<String> value(Frame lineage, String kind, String name) {
    return lineage.rows().stream().filter(r -> kind.equals(r.get("kind")) && name.equals(r.get("name")))
        .map(r -> Frame.text(r, "value")).findFirst();
  }
}
