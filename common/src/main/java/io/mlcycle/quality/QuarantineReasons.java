package io.mlcycle.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.filter;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** The reasons column of a quarantined row: ingest's parse failures and validate's failed rules alike. */
public final class QuarantineReasons {
  private QuarantineReasons() {}

  /** An array of the non-null reasons. */
  public static Column compact(List<Column> reasons) {
    if (reasons.isEmpty()) {
      return functions.array().cast("array<string>");
    }
    return filter(array(reasons.toArray(Column[]::new)), r -> r.isNotNull());
  }
}
