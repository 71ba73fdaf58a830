package io.mlcycle.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.io.Storage;
import io.mlcycle.testing.SparkTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A registered model is its files as registered, under whichever root holds it: a copied root loads its own
 * copy, and no edit to the copy's model folder passes — not even one that rewrites the manifest to match.
 */
class ModelFilesTest extends SparkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void aCopiedRootLoadsItsOwnFilesAndRefusesATamperedCopyWhateverTheManifestSays() throws Exception {
    Storage original = Storage.at(tempDir.resolve("original").toString());
    String location = Storage.modelLocation("flights", "r1");
    ModelArtifact.write(spark(), new Pipeline().setStages(new PipelineStage[] {
        new SQLTransformer().setStatement("SELECT *, x * 2 AS y FROM __THIS__")})
            .fit(spark().createDataFrame(List.of(row(1.0)), new StructType().add("x", "double"))),
        original.path(location), new ModelArtifact.Description("flights", "r1", Map.of(), Map.of(), Map.of()), CLOCK);
    new ModelRegistry(spark(), original).register(new ModelRegistry.Registration("flights", "r1", location, "e1",
        "go", "{}", "{}", ModelArtifact.manifestSha256(spark(), original.path(location))), "tester", CLOCK.instant());

    Path copyDir = tempDir.resolve("copy");
    copy(tempDir.resolve("original"), copyDir);
    Storage copy = Storage.at(copyDir.toString());
    ModelRegistry.Version copied = new ModelRegistry(spark(), copy).version("flights", 1).orElseThrow();
    assertEquals(copy.model("flights", "r1"), copied.modelPath(), "the copy's registry points into the copy");
    assertEquals(1, ModelArtifact.load(spark(), copied.modelPath(), copied.manifestSha256()).stages().length);

    Path folder = Path.of(URI.create(copied.modelPath()));
    Path manifestFile = folder.resolve(ModelArtifact.MANIFEST);
    Map<String, Object> manifest = readJson(manifestFile);
    @SuppressWarnings("unchecked")
    Map<String, Object> files = (Map<String, Object>) manifest.get("files");
    String changed = files.keySet().stream().filter(f -> f.startsWith("sparkml/metadata/")).findFirst().orElseThrow();
    Path metadata = folder.resolve(changed);
    Files.writeString(metadata, Files.readString(metadata) + " ");
    Files.deleteIfExists(metadata.resolveSibling("." + metadata.getFileName() + ".crc"));
    files.put(changed, sha256(Files.readAllBytes(metadata)));
    Files.writeString(manifestFile, new ObjectMapper().writeValueAsString(manifest));
    Files.deleteIfExists(folder.resolve("." + ModelArtifact.MANIFEST + ".crc"));

    MlcycleException refused = assertThrows(MlcycleException.class,
        () -> ModelArtifact.load(spark(), copied.modelPath(), copied.manifestSha256()));
    assertTrue(refused.getMessage().contains("file manifest.json has SHA-256")
        && refused.getMessage().contains("changed after the model was registered"), refused.getMessage());
    ModelRegistry.Version first = new ModelRegistry(spark(), original).version("flights", 1).orElseThrow();
    assertEquals(1, ModelArtifact.load(spark(), first.modelPath(), first.manifestSha256()).stages().length,
        "the original is untouched");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readJson(Path file) throws IOException {
    return new ObjectMapper().readValue(file.toFile(), Map.class);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(f -> {
        try {
          Files.copy(f, to.resolve(from.relativize(f).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
