package io.mlcycle.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The model's registered versions and every move of its aliases over time. */
final class RegistrySection {
  private RegistrySection() {}

  static ReportSection build(ReportData data) {
    List<ReportBlock> blocks = new ArrayList<>();
    Frame models = data.models().orElse(null);
    if (models == null || models.isEmpty()) {
      blocks.add(new ReportBlock.Missing("registered versions of model '" + data.subject().model()
          + "' (_mlcycle/models)", "mlcycle evaluate, then mlcycle promote"));
    } else {
      blocks.add(new ReportBlock.Table("Registered versions", "_mlcycle/models", models));
    }
    Frame aliases = data.aliases().orElse(null);
    if (aliases == null || aliases.isEmpty()) {
      blocks.add(new ReportBlock.Missing("the alias history (_mlcycle/model_aliases)", "mlcycle promote"));
      return new ReportSection(Chapter.REGISTRY, "registry", "Registry history", blocks);
    }
    List<String> moments = new ArrayList<>();
    Map<String, List<Double>> held = new LinkedHashMap<>();
    Map<String, Double> current = new LinkedHashMap<>();
    for (Map<String, Object> move : aliases.rows()) {
      current.put(Frame.text(move, "alias"), move.get("version") == null ? null : Frame.number(move, "version"));
      moments.add("#" + Frame.text(move, "seq"));
      for (String alias : current.keySet()) {
        held.computeIfAbsent(alias, a -> new ArrayList<>(Collections.nCopies(moments.size() - 1, (Double) null)))
            .add(current.get(alias));
      }
    }
    blocks.add(new ReportBlock.Text("Which version held each alias after each move (a gap: the alias was cleared)."));
    blocks.add(ChartRenderer.categoryLines("Version held per alias", "_mlcycle/model_aliases", "alias move",
        "version", moments, held));
    blocks.add(new ReportBlock.Table("Alias moves", "_mlcycle/model_aliases", aliases));
    return new ReportSection(Chapter.REGISTRY, "registry", "Registry history", blocks);
  }
}
