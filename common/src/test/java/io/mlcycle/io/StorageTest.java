package io.mlcycle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StorageTest {
  @Test
  void relativeLocalRootBecomesAnAbsoluteFileUri() {
    Storage storage = Storage.at("mlcycle-data");
    String expected = Path.of("mlcycle-data").toAbsolutePath().toUri().toString().replaceAll("/$", "");
    assertEquals(expected, storage.root());
    assertTrue(storage.root().startsWith("file:/"));
  }

  @Test
  void uriRootsAreKeptAndTrailingSlashesDropped() {
    Storage storage = Storage.at("s3a://bucket/prefix/");
    assertEquals("s3a://bucket/prefix", storage.root());
    assertEquals("s3a://bucket/prefix/bronze/flights", storage.bronze("flights"));
    assertEquals("s3a://bucket/prefix/_mlcycle/runs", storage.system("runs"));
    assertEquals("s3a://bucket/prefix/models/delay/3", storage.model("delay", "3"));
  }
}
