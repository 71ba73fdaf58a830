package io.mlcycle.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.SparkSession;

/**
 * A trained model on storage: the MLlib {@link PipelineModel} (feature stages included) under
 * {@code sparkml/}, an MLflow {@code MLmodel} file beside it so that {@code mlflow.spark.load_model} reads
 * it, and {@code manifest.json} — written last, so its presence means the model is whole — with the run,
 * lineage, metrics, the stage classes and the SHA-256 of every file. Loading verifies all of it.
 */
public final class ModelArtifact {
  public static final String MANIFEST = "manifest.json";
  public static final String MODEL_DIR = "sparkml";
  public static final String MLMODEL = "MLmodel";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private ModelArtifact() {}

  /**
   * What the manifest says besides the files: run id, lineage and metrics are free-form maps; {@code tracking}
   * holds what the training run records in its tracking tables, so that a run killed after the manifest (the
   * model's completion mark) can write them from it.
   */
  public record Description(String name, String runId, Map<String, Object> lineage, Map<String, Object> metrics,
                            Map<String, Object> tracking) {}

  /** Whether a whole model (manifest written) is at {@code path}. */
  public static boolean exists(SparkSession spark, String path) {
    try {
      Path manifest = new Path(path, MANIFEST);
      return manifest.getFileSystem(hadoop(spark)).exists(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look for a model at " + path, e);
    }
  }

  /**
   * Writes the model under {@code path}, which must hold no whole model: a partial one left by a crash is
   * removed first. The files record {@code clock}'s time as the creation time. Returns the manifest written.
   */
  public static Map<String, Object> write(SparkSession spark, PipelineModel model, String path, Description about,
                                          Clock clock) throws IOException {
    Instant created = clock.instant();
    Path root = new Path(path);
    FileSystem fs = root.getFileSystem(hadoop(spark));
    if (fs.exists(new Path(root, MANIFEST))) {
      throw new IllegalStateException("a model is already written at " + path + "; models are immutable");
    }
    fs.delete(root, true);
    model.write().save(new Path(root, MODEL_DIR).toString());
    writeText(fs, new Path(root, MLMODEL), MlflowModelFile.yaml(spark.version(), about, created));

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "mlcycle-model/1");
    manifest.put("name", about.name());
    manifest.put("run_id", about.runId());
    manifest.put("created_at", created.toString());
    manifest.put("spark_version", spark.version());
    manifest.put("stages", stageClasses(model));
    manifest.put("lineage", about.lineage());
    manifest.put("metrics", about.metrics());
    manifest.put("tracking", about.tracking());
    manifest.put("files", checksums(fs, root));
    // Written aside and renamed: a kill while writing must not leave a manifest that exists but is not whole.
    Path partial = new Path(root, "." + MANIFEST + ".partial");
    writeText(fs, partial, JSON.writeValueAsString(manifest));
    if (!fs.rename(partial, new Path(root, MANIFEST))) {
      throw new IOException("Cannot rename " + partial + " to " + MANIFEST);
    }
    return manifest;
  }

  /** The SHA-256 of the manifest of the model at {@code path}, which the registry records. */
  public static String manifestSha256(SparkSession spark, String path) {
    Path manifest = new Path(path, MANIFEST);
    try (InputStream in = manifest.getFileSystem(hadoop(spark)).open(manifest)) {
      return sha256(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the manifest of the model at " + path, e);
    }
  }

  /** The manifest of the whole model at {@code path}, as written (its files are not checked here). */
  public static Map<String, Object> manifest(SparkSession spark, String path) {
    Path manifest = new Path(path, MANIFEST);
    try (InputStream in = manifest.getFileSystem(hadoop(spark)).open(manifest)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> read = JSON.readValue(in, Map.class);
      return read;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the manifest of the model at " + path, e);
    }
  }

  /**
   * Loads the model at {@code path} after checking that every file the manifest lists is there with its
   * checksum, that no file was added, and that the stages are the classes it lists. Anything else is
   * refused, naming the file: a tampered or partial model never scores.
   */
  public static PipelineModel load(SparkSession spark, String path) {
    return load(spark, path, Optional.empty());
  }

  /**
   * Loads a registered model: as {@link #load(SparkSession, String)}, and first its manifest must be the one
   * registered ({@code manifestSha256}), so that no edit to the model folder — the manifest's included —
   * passes unnoticed.
   */
  public static PipelineModel load(SparkSession spark, String path, Optional<String> manifestSha256) {
    try {
      Path root = new Path(path);
      FileSystem fs = root.getFileSystem(hadoop(spark));
      Path manifestPath = new Path(root, MANIFEST);
      if (!fs.exists(manifestPath)) {
        throw refused(path, "it has no " + MANIFEST + " (a partial write, or not an mlcycle model)");
      }
      byte[] manifestBytes;
      try (InputStream in = fs.open(manifestPath)) {
        manifestBytes = in.readAllBytes();
      } catch (org.apache.hadoop.fs.ChecksumException e) {
        throw refused(path, "file " + MANIFEST + " fails its Hadoop checksum (.crc): it was changed after the model"
            + " was written");
      }
      if (manifestSha256.isPresent() && !manifestSha256.get().equals(sha256(manifestBytes))) {
        throw refused(path, "file " + MANIFEST + " has SHA-256 " + sha256(manifestBytes) + " but the registry "
            + "recorded " + manifestSha256.get() + ": it was changed after the model was registered");
      }
      Map<?, ?> manifest = JSON.readValue(manifestBytes, Map.class);
      Map<?, ?> expected = (Map<?, ?>) manifest.get("files");
      Map<String, String> actual = checksums(fs, root);
      for (Map.Entry<?, ?> file : expected.entrySet()) {
        String found = actual.get((String) file.getKey());
        if (found == null) {
          throw refused(path, "file " + file.getKey() + " is missing");
        }
        if (!found.equals(file.getValue())) {
          throw refused(path, "file " + file.getKey() + " has SHA-256 " + found + " but the manifest says "
              + file.getValue() + ": it was changed after the model was written");
        }
      }
      for (String file : actual.keySet()) {
        if (!expected.containsKey(file)) {
          throw refused(path, "file " + file + " is not in the manifest: it was added after the model was written");
        }
      }
      PipelineModel model = PipelineModel.load(new Path(root, MODEL_DIR).toString());
      if (!stageClasses(model).equals(manifest.get("stages"))) {
        throw refused(path, "its stages " + stageClasses(model) + " are not the manifest's " + manifest.get("stages"));
      }
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the model at " + path, e);
    }
  }

  private static MlcycleException refused(String path, String why) {
    return new MlcycleException(ExitCode.FAILURE, "Cannot load the model at " + path + ": " + why
        + ". Retrain it, or restore the model folder from a backup.");
  }

  private static List<String> stageClasses(PipelineModel model) {
    List<String> classes = new ArrayList<>();
    for (Transformer stage : model.stages()) {
      classes.add(stage.getClass().getName());
    }
    return classes;
  }

  /** SHA-256 of every file under the model folder but the manifest itself and Hadoop's hidden .crc files. */
  private static Map<String, String> checksums(FileSystem fs, Path root) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    String prefix = fs.makeQualified(root).toString() + "/";
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
    while (files.hasNext()) {
      LocatedFileStatus file = files.next();
      String relative = fs.makeQualified(file.getPath()).toString().substring(prefix.length());
      if (relative.equals(MANIFEST) || file.getPath().getName().startsWith(".")) {
        continue;
      }
      try {
        sums.put(relative, sha256(fs, file.getPath()));
      } catch (org.apache.hadoop.fs.ChecksumException e) {
        throw refused(root.toString(), "file " + relative + " fails its Hadoop checksum (.crc), so its SHA-256 cannot"
            + " match the manifest: it was changed after the model was written");
      }
    }
    return sums;
  }

  private static String sha256(FileSystem fs, Path file) throws IOException {
    try (InputStream in = new DigestInputStream(fs.open(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void writeText(FileSystem fs, Path file, String text) throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Configuration hadoop(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }
}
