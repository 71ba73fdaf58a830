package io.mlcycle.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.testing.PipelineFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed settings are parsed from the configuration alone (no Spark), and a section that does not parse
 * is refused, naming its key, by the first job that asks for it, while the sections a job does use work.
 */
class PipelineSettingsTest {
  @TempDir
  Path dir;

  @Test
  void anIngestOnlyPipelineHasItsDatasetAndRefusesFeaturesByKey() {
    PipelineSettings pipeline = PipelineSettings.of(new PipelineFixture(dir, null)
        .set("pipeline.event-time=").settings()).orElseThrow();
    assertEquals("flights", pipeline.name());
    assertEquals(List.of("flight_id"), pipeline.entityKey());
    assertEquals(6, pipeline.dataset().columns().size());
    MlcycleException features = assertThrows(MlcycleException.class, pipeline::features);
    assertEquals(ExitCode.USAGE, features.exitCode());
    // Without an event time features are still possible (no windows); this pipeline declares none.
    assertTrue(features.getMessage().contains("'pipeline.features'") && features.getMessage().contains("no features"),
        features.getMessage());
  }

  @Test
  void aBadValueIsRefusedWithItsKeyAndFileWhenItsSectionIsAskedFor() {
    PipelineSettings pipeline = PipelineSettings.of(new PipelineFixture(dir, null)
        .set("pipeline.monitoring.retrain-to=production").settings()).orElseThrow();
    assertEquals("canary", pipeline.scoring().mode(), "the other sections stay usable");
    MlcycleException monitoring = assertThrows(MlcycleException.class, pipeline::monitoring);
    assertTrue(monitoring.getMessage().contains("pipeline.monitoring.retrain-to")
        && monitoring.getMessage().contains("--set") && monitoring.getMessage().contains("'production'"),
        monitoring.getMessage());
  }

  @Test
  void settingsWithoutAPipelineNameHaveNoPipeline() {
    assertTrue(PipelineSettings.of(new PipelineFixture(dir, null).set("pipeline.name=").settings()).isEmpty());
  }
}
