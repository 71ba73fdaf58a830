package io.mlcycle.registry;

import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The {@code MLmodel} file of a model folder, so that MLflow's tools read mlcycle's models as they are. */
final class MlflowModelFile {
  /**
   * Every string quoted: MLflow reads the file with PyYAML, whose YAML 1.1 would turn a plain {@code 2026-01-02
   * 03:04:05} into a datetime and {@code yes} into a boolean; a quoted scalar is always the string written.
   */
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .build();
  /** MLflow's {@code utc_time_created}: Python's {@code str(datetime.utcnow())}. */
  private static final DateTimeFormatter MLFLOW_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private MlflowModelFile() {}

  /** MLflow's model format, spark flavour: {@code mlflow.spark.load_model(<this folder>)} loads sparkml/. */
  static String yaml(String sparkVersion, ModelArtifact.Description about, Instant created) throws IOException {
    Map<String, Object> sparkFlavor = new LinkedHashMap<>();
    sparkFlavor.put("pyspark_version", sparkVersion);
    sparkFlavor.put("model_data", ModelArtifact.MODEL_DIR);
    sparkFlavor.put("code", null);
    Map<String, Object> pythonFunction = new LinkedHashMap<>();
    pythonFunction.put("loader_module", "mlflow.spark");
    pythonFunction.put("data", ModelArtifact.MODEL_DIR);
    Map<String, Object> flavors = new LinkedHashMap<>();
    flavors.put("spark", sparkFlavor);
    flavors.put("python_function", pythonFunction);
    Map<String, Object> mlmodel = new LinkedHashMap<>();
    mlmodel.put("artifact_path", "model");
    mlmodel.put("flavors", flavors);
    mlmodel.put("model_uuid", UUID.nameUUIDFromBytes((about.name() + "/" + about.runId())
        .getBytes(StandardCharsets.UTF_8)).toString().replace("-", ""));
    mlmodel.put("run_id", about.runId());
    mlmodel.put("utc_time_created", MLFLOW_TIME.format(created));
    return YAML.writeValueAsString(mlmodel);
  }
}
