package io.mlcycle.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mlcycle.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The files of a written model: MLflow's MLmodel YAML and the manifest, with the clock's time. */
class ModelArtifactTest extends SparkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

  private static PipelineModel model() {
    SQLTransformer doubled = new SQLTransformer().setStatement("SELECT *, x * 2 AS y FROM __THIS__");
    return new Pipeline().setStages(new PipelineStage[] {doubled})
        .fit(spark().createDataFrame(List.of(row(1.0)), new StructType().add("x", "double")));
  }

  @Test
  void runIdsThatYamlWouldMisreadRoundTripThroughTheMlmodelFile() throws Exception {
    PipelineModel model = model();
    for (String runId : List.of("run:1 #x", "20260102", "yes", "- a: b", "null")) {
      Path dir = tempDir.resolve("m" + Math.abs(runId.hashCode()));
      ModelArtifact.write(spark(), model, dir.toString(),
          new ModelArtifact.Description("flights", runId, Map.of(), Map.of(), Map.of()), CLOCK);

      Map<?, ?> mlmodel = new YAMLMapper().readValue(dir.resolve(ModelArtifact.MLMODEL).toFile(), Map.class);
      assertEquals(runId, mlmodel.get("run_id"), "run id in " + Files.readString(dir.resolve(ModelArtifact.MLMODEL)));
      assertEquals("2026-01-02 03:04:05.678000", mlmodel.get("utc_time_created"));
      Map<?, ?> flavors = (Map<?, ?>) mlmodel.get("flavors");
      assertEquals(Map.of("loader_module", "mlflow.spark", "data", ModelArtifact.MODEL_DIR),
          flavors.get("python_function"));
      Map<?, ?> sparkFlavor = (Map<?, ?>) flavors.get("spark");
      assertEquals(spark().version(), sparkFlavor.get("pyspark_version"));
      assertEquals(ModelArtifact.MODEL_DIR, sparkFlavor.get("model_data"));
      assertTrue(sparkFlavor.containsKey("code") && sparkFlavor.get("code") == null, "code: null, as MLflow writes it");

      Map<?, ?> manifest = new ObjectMapper().readValue(dir.resolve(ModelArtifact.MANIFEST).toFile(), Map.class);
      assertEquals("2026-01-02T03:04:05.678Z", manifest.get("created_at"));
      assertEquals(runId, manifest.get("run_id"));
      assertEquals(1, ModelArtifact.load(spark(), dir.toString()).stages().length, "the model loads, checksums match");
    }
  }
}
