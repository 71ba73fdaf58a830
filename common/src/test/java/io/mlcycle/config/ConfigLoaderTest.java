package io.mlcycle.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.ExitCode;
import io.mlcycle.base.MlcycleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private static Settings load(String... sets) {
    return ConfigLoader.load(ConfigRequest.defaults().withSets(sets));
  }

  private Settings loadFile(String content, String... sets) throws IOException {
    Path file = dir.resolve("test.conf");
    Files.writeString(file, content);
    return ConfigLoader.load(new ConfigRequest(Optional.of(file), Optional.empty(), List.of(sets)));
  }

  private static MlcycleException usageError(org.junit.jupiter.api.function.Executable executable) {
    MlcycleException e = assertThrows(MlcycleException.class, executable);
    assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
    return e;
  }

  @Test
  void defaultsComeFromReferenceConf() {
    Settings settings = load();
    assertEquals("mlcycle-data", settings.storageRoot());
    assertEquals(Optional.empty(), settings.pipeline());
    assertEquals(0, settings.spark().shufflePartitions());
  }

  @Test
  void typoInSetNamesTheKeyAndSuggestsTheClosest() {
    MlcycleException e = usageError(() -> load("mlcycle.storage.rooot=x"));
    assertTrue(e.getMessage().contains("'mlcycle.storage.rooot'"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean 'mlcycle.storage.root'?"), e.getMessage());
    assertTrue(e.getMessage().contains("--set"), e.getMessage());
  }

  @Test
  void typoInFileNamesTheFileAndLine() {
    MlcycleException e = usageError(() -> loadFile("mlcycle {\n  spark {\n    shufle-partitions = 4\n  }\n}\n"));
    assertTrue(e.getMessage().contains("mlcycle.spark.shufle-partitions"), e.getMessage());
    assertTrue(e.getMessage().contains("test.conf: 3"), e.getMessage());
    assertTrue(e.getMessage().contains("mlcycle.spark.shuffle-partitions"), e.getMessage());
  }

  @Test
  void unknownTopLevelKeyWithoutNearMatchIsRejected() {
    MlcycleException e = usageError(() -> load("wholly.unrelated.setting=1"));
    assertTrue(e.getMessage().contains("wholly.unrelated.setting"), e.getMessage());
    assertFalse(e.getMessage().contains("Did you mean"), e.getMessage());
  }

  @Test
  void wrongTypeNamesPathFileAndExpectedType() {
    MlcycleException e = usageError(() -> loadFile("mlcycle.spark.shuffle-partitions = \"many\"\n"));
    assertTrue(e.getMessage().contains("mlcycle.spark.shuffle-partitions"), e.getMessage());
    assertTrue(e.getMessage().contains("test.conf: 1"), e.getMessage());
    assertTrue(e.getMessage().contains("expected a number"), e.getMessage());
  }

  @Test
  void wrongTypeFromSetIsRejected() {
    MlcycleException e = usageError(() -> load("mlcycle.spark.ui-enabled=maybe"));
    assertTrue(e.getMessage().contains("a boolean"), e.getMessage());
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    MlcycleException e = usageError(() -> loadFile("mlcycle {\n  storage {\n    root = \"x\"\n"));
    assertTrue(e.getMessage().contains("test.conf"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*test.conf: \\d+.*"), e.getMessage());
  }

  @Test
  void missingConfigFileIsAUsageError() {
    Path missing = dir.resolve("absent.conf");
    MlcycleException e = usageError(() -> ConfigLoader.load(
        new ConfigRequest(Optional.of(missing), Optional.empty(), List.of())));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void malformedSetsAreUsageErrors() {
    assertTrue(usageError(() -> load("no-equals-sign")).getMessage().contains("no key=value"));
    assertTrue(usageError(() -> load("a..b=1")).getMessage().contains("not a valid key path"));
    assertTrue(usageError(() -> load("=1")).getMessage().contains("--set =1"));
  }

  @Test
  void setValuesAreTypedAndUrisStayStrings() {
    Settings settings = load("mlcycle.storage.root=s3a://bucket/prefix", "mlcycle.spark.shuffle-partitions=8",
        "mlcycle.spark.ui-enabled=true");
    assertEquals("s3a://bucket/prefix", settings.storageRoot());
    assertEquals(8, settings.spark().shufflePartitions());
    assertTrue(settings.spark().uiEnabled());
  }

  @Test
  void laterLayersWin() throws IOException {
    Settings fileOnly = loadFile("mlcycle.storage.root = from-file\nmlcycle.spark.app-name = file-app\n");
    assertEquals("from-file", fileOnly.storageRoot());
    Settings withSet = loadFile("mlcycle.storage.root = from-file\n", "mlcycle.storage.root=from-set");
    assertEquals("from-set", withSet.storageRoot());
  }

  @Test
  void environmentPlaceholdersResolve() throws IOException {
    String home = System.getenv("HOME");
    Settings settings = loadFile("mlcycle.storage.root = ${?HOME}\nmlcycle.spark.app-name = ${?MLCYCLE_SURELY_UNSET_VAR}\n");
    assertEquals(home, settings.storageRoot());
    assertEquals("mlcycle", settings.spark().appName());
  }

  @Test
  void requiredPlaceholderWithoutVariableIsAUsageError() {
    MlcycleException e = usageError(() -> loadFile("mlcycle.storage.root = ${MLCYCLE_SURELY_UNSET_VAR}\n"));
    assertTrue(e.getMessage().contains("MLCYCLE_SURELY_UNSET_VAR"), e.getMessage());
  }

  @Test
  void openMapsAcceptAnyKey() {
    Settings settings = load("mlcycle.spark.conf.\"spark.driver.memory\"=2g");
    assertEquals("2g", settings.spark().conf().get("spark.driver.memory"));
  }

  @Test
  void secretsAreRedactedInRenderAndExcludedFromTheHash() {
    Settings one = load("mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=hunter2");
    Settings two = load("mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=other-secret");
    assertFalse(one.render().contains("hunter2"), one.render());
    assertTrue(one.render().contains(SecretRedaction.REDACTED), one.render());
    assertEquals(one.hash(), two.hash());
    assertNotEquals(one.hash(), load("mlcycle.spark.app-name=other").hash());
  }

  @Test
  void theHashIsTheSameForACopyOfTheRootElsewhere() {
    assertEquals(load("mlcycle.storage.root=/data/lake").hash(), load("mlcycle.storage.root=/restore/lake").hash());
  }

  @Test
  void aSecretSetOnTheCommandLineIsTakenAsWrittenAndNeverEchoed() {
    String key = "mlcycle.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"";
    assertEquals("[hunter2{", load(key + "=[hunter2{").spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
    assertEquals("1e5", load(key + "=1e5").spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
    MlcycleException malformed = usageError(() -> load("mlcycle..password=[hunter2"));
    assertFalse(malformed.getMessage().contains("hunter2"), malformed.getMessage());
    assertTrue(malformed.getMessage().contains(SecretRedaction.REDACTED), malformed.getMessage());
  }

  @Test
  void secretKeysAreRecognised() {
    for (String key : List.of("a.password", "x.secret-key", "fs.\"s3a.access.key\"", "api_token", "db.credentials",
        "aws.access_key", "aws.session")) {
      assertTrue(SecretRedaction.isSecret(key), key);
    }
    assertFalse(SecretRedaction.isSecret("mlcycle.storage.root"));
    // Paths into lists, as messages about list elements write them, and paths no parser accepts.
    assertFalse(SecretRedaction.isSecret("pipeline.features[1].monitor"));
    assertTrue(SecretRedaction.isSecret("pipeline.sources[0].password"));
    assertTrue(SecretRedaction.isSecret("a..password"));
  }

  @Test
  void missingPipelineNameIsAUsageError() {
    MlcycleException e = usageError(() -> ConfigLoader.load(
        new ConfigRequest(Optional.empty(), Optional.of("no-such-pipeline"), List.of())));
    assertTrue(e.getMessage().contains("no-such-pipeline"), e.getMessage());
  }

  @Test
  void editDistanceCountsEdits() {
    assertEquals(1, ConfigValidator.editDistance("root", "rooot"));
    assertEquals(0, ConfigValidator.editDistance("same", "same"));
    assertEquals(3, ConfigValidator.editDistance("kitten", "sitting"));
  }
}
