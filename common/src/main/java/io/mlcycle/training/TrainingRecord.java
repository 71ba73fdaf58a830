package io.mlcycle.training;

import io.mlcycle.tracking.TrackingTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run records in {@code _mlcycle/params}, {@code _mlcycle/metrics} and
 * {@code _mlcycle/lineage}, and carries in its model's manifest: the train job writes it, a rerun after a
 * kill writes it again from the manifest, and {@code reproduce} compares a rebuild's record with it item by
 * item.
 */
public record TrainingRecord(Map<String, String> params, List<TrackingTables.Metric> metrics,
                             Map<String, Map<String, String>> lineage) {

  /** The record as the manifest's {@code tracking} entry holds it (metric values as exact decimal strings). */
  public Map<String, Object> asManifest() {
    Map<String, Object> tracking = new LinkedHashMap<>();
    tracking.put("params", params);
    tracking.put("metrics", metrics.stream().map(m -> List.of(m.scope(), m.gridPoint(), m.fold(), m.name(),
        Double.toString(m.value()))).toList());
    tracking.put("lineage", lineage);
    return tracking;
  }

  /** The record a model's manifest carries, or null when the manifest has none (an older mlcycle saved it). */
  @SuppressWarnings("unchecked")
  public static TrainingRecord fromManifest(Map<String, Object> manifest) {
    Map<String, Object> tracking = (Map<String, Object>) manifest.get("tracking");
    if (tracking == null) {
      return null;
    }
    List<TrackingTables.Metric> metrics = ((List<List<Object>>) tracking.get("metrics")).stream()
        .map(m -> new TrackingTables.Metric((String) m.get(0), ((Number) m.get(1)).intValue(),
            ((Number) m.get(2)).intValue(), (String) m.get(3), Double.parseDouble((String) m.get(4)))).toList();
    return new TrainingRecord((Map<String, String>) tracking.get("params"), metrics,
        (Map<String, Map<String, String>>) tracking.get("lineage"));
  }
}
