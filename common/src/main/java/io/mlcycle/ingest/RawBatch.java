package io.mlcycle.ingest;

import io.mlcycle.dataset.SchemaDrift;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One batch as read from its raw files: the declared columns typed (plus any extra columns an
 * {@code evolve} policy keeps), {@code _source_file}, and {@code _corrupt} (the raw text of a record that
 * did not parse, else null); with the drift the files showed against the declared schema.
 */
public record RawBatch(Dataset<Row> rows, SchemaDrift drift, List<String> extraColumns) {
  public static final String CORRUPT = "_corrupt";
  public static final String SOURCE_FILE = "_source_file";

  public RawBatch {
    extraColumns = List.copyOf(extraColumns);
  }
}
