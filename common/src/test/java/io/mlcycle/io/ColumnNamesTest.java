package io.mlcycle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** A user's column names as SQL and Delta see them: quoted, and mapped by Delta when Parquet cannot store them. */
class ColumnNamesTest {
  @Test
  void aNameIsQuotedInBackticksWithAnEmbeddedBacktickDoubled() {
    assertEquals("`Unit Price ($)`", ColumnNames.quoted("Unit Price ($)"));
    assertEquals("`a``b`", ColumnNames.quoted("a`b"));
    assertEquals("`order time`,`_batch_id`", ColumnNames.quotedList(List.of("order time", "_batch_id")));
  }

  @Test
  void columnMappingIsNeededForANameParquetCannotStoreNestedOrNot() {
    assertFalse(ColumnNames.needColumnMapping(new StructType().add("flight_id", "string").add("a.b", "int")));
    assertTrue(ColumnNames.needColumnMapping(new StructType().add("order time", "timestamp")));
    assertTrue(ColumnNames.needColumnMapping(new StructType().add("s",
        DataTypes.createArrayType(new StructType().add("x=1", "int")))));
  }

  @Test
  void theEventTimeFollowsTheKeyUnlessTheKeyHoldsItIgnoringCase() {
    assertEquals(List.of("flight_id", "date"), ColumnNames.keyAndEventTime(List.of("flight_id"), "date"));
    assertEquals(List.of("store", "Day"), ColumnNames.keyAndEventTime(List.of("store", "Day"), "day"));
  }
}
