package io.mlcycle.features;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.mlcycle.io.DeltaTables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The feature-definition hash: SHA-256 over the canonical definition (keys sorted) and the content of
 * every reference table it looks up (file bytes; a Delta table's version), so a changed airports file
 * is a new feature version just as a changed expression is. Left out: where a reference table lies
 * (its content counts, so moving it changes nothing) and the reference-profile settings (they change
 * the statistics, not the features).
 */
public final class FeatureHash {
  private FeatureHash() {}

  public static String of(SparkSession spark, FeatureSpec spec) {
    MessageDigest digest = sha256();
    Config definition = ConfigFactory.parseString(spec.definition());
    for (ReferenceTable table : spec.tables()) {
      definition = definition.withoutPath(table.keyPath() + ".path");
    }
    digest.update(definition.root().render(ConfigRenderOptions.concise()).getBytes(StandardCharsets.UTF_8));
    for (ReferenceTable table : spec.tables()) {
      digest.update(("\n" + table.name() + "\n").getBytes(StandardCharsets.UTF_8));
      if (table.format().equals("delta")) {
        digest.update(Long.toString(DeltaTables.version(spark, table.uri())).getBytes(StandardCharsets.UTF_8));
      } else {
        addFiles(digest, new Path(table.uri()), spark);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void addFiles(MessageDigest digest, Path path, SparkSession spark) {
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] files = fs.getFileStatus(path).isDirectory() ? fs.listStatus(path) : new FileStatus[] {fs.getFileStatus(path)};
      Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
      byte[] buffer = new byte[1 << 16];
      for (FileStatus file : files) {
        if (file.isDirectory() || file.getPath().getName().startsWith(".") || file.getPath().getName().startsWith("_")) {
          continue;
        }
        try (InputStream in = fs.open(file.getPath())) {
          for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read reference table " + path + " to hash it", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
