package io.mlcycle.openlineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.io.Storage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OpenLineage settings: off by default, and every bad value exit 2 naming its key before Spark starts. */
class OpenLineageSettingsTest {
  private static final String ROOT = "mlcycle.lineage.openlineage.";

  private static OpenLineageSettings load(Map<String, String> environment, String... sets) {
    return OpenLineageSettings.of(ConfigLoader.load(ConfigRequest.defaults().withSets(sets)), environment::get);
  }

  private static OpenLineageSettings load(String... sets) {
    return load(Map.of(), sets);
  }

  private static String refused(String key, String... sets) {
    MlcycleException e = assertThrows(MlcycleException.class, () -> load(sets));
    assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
    assertTrue(e.getMessage().contains("'" + ROOT + key + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("--set"), "says where it was set: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void offByDefault() {
    OpenLineageSettings settings = load();
    assertFalse(settings.enabled());
    assertEquals(Optional.empty(), settings.file());
    assertEquals(Optional.empty(), settings.http());
  }

  @Test
  void theFileTransportDefaultsToAFileUnderALocalRoot() {
    OpenLineageSettings settings = load(ROOT + "transport=file", "mlcycle.storage.root=/data/lake");
    assertEquals(Optional.of(Path.of("/data/lake/openlineage/events.jsonl")), settings.file());
    assertEquals(Optional.of(Path.of("/tmp/ol.jsonl")),
        load(ROOT + "transport=file", ROOT + "file.path=/tmp/ol.jsonl").file());
  }

  @Test
  void theFileTransportOnARemoteRootNeedsAPath() {
    String message = refused("file.path", ROOT + "transport=file", "mlcycle.storage.root=s3a://bucket/lake");
    assertTrue(message.contains("s3a://bucket/lake"), message);
  }

  @Test
  void theHttpTransportTakesItsUrlAndItsKeyFromTheEnvironment() {
    OpenLineageSettings settings = load(Map.of("MLCYCLE_OPENLINEAGE_API_KEY", "hunter2"), ROOT + "transport=http",
        ROOT + "http.url=http://marquez:5000", ROOT + "http.timeout=750ms");
    OpenLineageSettings.Http http = settings.http().orElseThrow();
    assertEquals(URI.create("http://marquez:5000"), http.url());
    assertEquals("/api/v1/lineage", http.endpoint());
    assertEquals(Duration.ofMillis(750), http.timeout());
    assertEquals(Optional.of("hunter2"), http.apiKey());
    assertFalse(settings.toString().contains("hunter2"), settings.toString());
    assertEquals(Optional.empty(), load(ROOT + "transport=http", ROOT + "http.url=http://marquez:5000")
        .http().orElseThrow().apiKey());
  }

  @Test
  void badValuesAreRefusedNamingTheirKey() {
    assertTrue(refused("transport", ROOT + "transport=kafka").contains("use none, file or http"));
    refused("http.url", ROOT + "transport=http");
    refused("http.url", ROOT + "transport=http", ROOT + "http.url=ftp://marquez");
    refused("http.url", ROOT + "transport=http", ROOT + "http.url=http://bad host:5000");
    assertFalse(refused("http.url", ROOT + "transport=http", ROOT + "http.url=http://ol:hunter2@marquez:5000")
        .contains("hunter2"));
    refused("http.timeout", ROOT + "transport=http", ROOT + "http.url=http://marquez:5000", ROOT + "http.timeout=soon");
    refused("http.timeout", ROOT + "transport=http", ROOT + "http.url=http://marquez:5000", ROOT + "http.timeout=0s");
    refused("http.endpoint", ROOT + "transport=http", ROOT + "http.url=http://marquez:5000",
        ROOT + "http.endpoint=api/v1/lineage");
  }

  @Test
  void datasetsAreNamedUnderTheRootWithoutCredentials() {
    assertEquals(new DatasetId("s3a://bucket/lake", "silver/flights"),
        DatasetId.table(Storage.at("s3a://key:secret@bucket/lake"), "silver/flights"));
    assertEquals(new DatasetId("s3a://bucket", "landing/2001-*.csv"), DatasetId.file("s3a://key:secret@bucket/landing/2001-*.csv"));
    assertEquals(new DatasetId("file", "/data/raw/2001-01.csv"), DatasetId.file("file:///data/raw/2001-01.csv"));
    assertEquals(new DatasetId("file", "/data/raw/2001-01.csv"), DatasetId.file("/data/raw/2001-01.csv"));
  }
}
