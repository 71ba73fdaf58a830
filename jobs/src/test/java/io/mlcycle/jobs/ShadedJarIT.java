package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.stream.Collectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The spark-submit jar carries mlcycle, Delta, a relocated Typesafe Config and OpenLineage's client (its HTTP
 * client relocated), and nothing of the cluster's.
 */
class ShadedJarIT {
  static JarFile jar() throws IOException {
    return new JarFile(System.getProperty("mlcycle.spark.submit.jar"));
  }

  @Test
  void carriesNoClassesTheClusterBrings() throws IOException {
    try (JarFile jar = jar()) {
      for (String prefix : List.of("org/apache/hadoop/", "scala/", "com/typesafe/config/", "picocli/",
          "software/amazon/", "org/apache/hc/", "io/micrometer/")) {
        assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith(prefix)), "no " + prefix + " in the jar");
      }
      // Jackson is the cluster's, but for the two modules OpenLineage's client registers that Spark does not ship.
      List<String> jackson = jar.stream().map(JarEntry::getName).filter(n -> n.startsWith("com/fasterxml/jackson/"))
          .filter(n -> !n.startsWith("com/fasterxml/jackson/datatype/jdk8/"))
          .filter(n -> !n.startsWith("com/fasterxml/jackson/module/blackbird/"))
          .filter(n -> !n.endsWith("/")).limit(5).toList();
      assertEquals(List.of(), jackson, "no Jackson of the cluster's in the jar");
      // Delta ships classes of its own under org/apache/spark/sql/delta; none of Spark's may come along.
      Set<String> shaded = jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class"))
          .collect(Collectors.toSet());
      List<String> sparkJars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
          .filter(p -> Path.of(p).getFileName().toString().matches("spark-[a-z-]+_2\\.13-.*\\.jar")).toList();
      assertTrue(sparkJars.size() >= 5, "Spark's jars are on the test class path: " + sparkJars);
      for (String sparkJar : sparkJars) {
        try (JarFile spark = new JarFile(sparkJar)) {
          List<String> leaked = spark.stream().map(JarEntry::getName).filter(shaded::contains).limit(5).toList();
          assertEquals(List.of(), leaked, "classes of " + sparkJar + " in the spark-submit jar");
        }
      }
      assertTrue(shaded.contains("org/apache/spark/sql/delta/DeltaLog.class"), "Delta's own classes are in");
    }
  }

  @Test
  void carriesMlcycleDeltaAndTheRelocatedConfig() throws IOException {
    try (JarFile jar = jar()) {
      for (String entry : List.of("io/mlcycle/jobs/Runner.class", "io/mlcycle/config/ConfigLoader.class",
          "io/delta/tables/DeltaTable.class", "io/mlcycle/shaded/com/typesafe/config/Config.class",
          "io/mlcycle/shaded/picocli/CommandLine.class", "io/mlcycle/report/HtmlReport.class",
          "org/knowm/xchart/XYChart.class", "mlcycle/local.conf",
          "io/openlineage/client/OpenLineageClient.class",
          "io/mlcycle/shaded/org/apache/hc/client5/http/impl/classic/CloseableHttpClient.class",
          "io/mlcycle/shaded/io/micrometer/core/instrument/MeterRegistry.class",
          "com/fasterxml/jackson/datatype/jdk8/Jdk8Module.class")) {
        assertNotNull(jar.getEntry(entry), entry);
      }
      assertEquals("io.mlcycle.jobs.Runner", jar.getManifest().getMainAttributes().getValue("Main-Class"));
      String reference = new String(jar.getInputStream(jar.getEntry("reference.conf")).readAllBytes(),
          StandardCharsets.UTF_8);
      assertTrue(reference.contains("mlcycle {"), "mlcycle's reference.conf is merged into the jar");
      String services = new String(jar.getInputStream(
          jar.getEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister")).readAllBytes(),
          StandardCharsets.UTF_8);
      assertTrue(services.contains("org.apache.spark.sql.delta.sources.DeltaDataSource"), services);
    }
  }
}
