package io.mlcycle.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mlcycle.io.DeltaTables;
import io.mlcycle.io.Storage;
import io.mlcycle.testing.LostCommit;
import io.mlcycle.testing.SparkTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A features run killed after any of its three commits — the feature table, the feature version, its
 * reference bins — is completed by the same command: the rows it owed, once, and no second table commit.
 */
class FeatureTableCompletionTest extends SparkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void aRerunWritesWhatAKilledBuildOwedAndNothingTwice() {
    Storage storage = Storage.at(tempDir.toString());
    FlightsFixture.appendSilver(spark(), storage.silver("flights"), FlightsFixture.flights(5, 120, 10));
    FeatureTableUpdate.Outcome built = update(storage, "run-1");
    String features = storage.features("flights");
    String versions = storage.system(FeatureVersions.TABLE);
    String reference = storage.system(ReferenceProfile.TABLE);
    long table = DeltaTables.version(spark(), features);
    List<Row> versionRows = rows(versions);
    List<Row> bins = rows(reference);

    LostCommit.undoLatest(reference);
    LostCommit.undoLatest(versions);
    assertFalse(DeltaTables.exists(spark(), versions), "killed after the table's commit, before the version's");
    FeatureTableUpdate.Outcome rebuilt = update(storage, "run-1");
    assertEquals(table, DeltaTables.version(spark(), features), "the table's commit is not made again");
    assertEquals(versionRows, rows(versions));
    assertEquals(bins, rows(reference));
    assertEquals(built.version(), rebuilt.version());

    LostCommit.undoLatest(reference);
    FeatureTableUpdate.Outcome completed = update(storage, "run-2");
    assertEquals("up_to_date", completed.action());
    assertEquals(bins, rows(reference), "the bins the killed run owed, computed again from what it recorded");
    assertEquals(table, DeltaTables.version(spark(), features));
    assertEquals(versionRows, rows(versions));
  }

  private FeatureTableUpdate.Outcome update(Storage storage, String runId) {
    return new FeatureTableUpdate(spark(), storage, FlightsFixture.spec(tempDir), runId, CLOCK).run();
  }

  private static List<Row> rows(String table) {
    return sql("SELECT * FROM delta.`%s` ORDER BY 1, 2, 3, 4, 5, 6", table);
  }
}
