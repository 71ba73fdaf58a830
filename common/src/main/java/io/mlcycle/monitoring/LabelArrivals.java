package io.mlcycle.monitoring;

import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The labels {@link RealisedPerformance} reads, from the feature table: every row whose label is known,
 * with {@value RealisedPerformance#ARRIVED_AT} set to when its batch reached mlcycle — the batch's ingest
 * time in bronze. A row whose batch bronze does not know keeps its label, with no arrival time (and no delay).
 */
public final class LabelArrivals {
  public static final String BATCH_ID = "_batch_id";
  public static final String INGESTED_AT = "_ingested_at";

  private LabelArrivals() {}

  /**
   * @param features rows of {@code features/<dataset>} in scope (e.g. the label batches not measured yet)
   * @param bronze {@code bronze/<dataset>}: only its batch ids and ingest times are read
   * @param slices further columns of the feature rows to keep, for the worst slices
   */
  public static Dataset<Row> of(Dataset<Row> features, Dataset<Row> bronze, List<String> entityKey, String label,
                                List<String> slices) {
    Dataset<Row> arrivals = bronze.groupBy(BATCH_ID).agg(functions.min(INGESTED_AT).as(RealisedPerformance.ARRIVED_AT));
    Set<String> columns = new LinkedHashSet<>(entityKey);
    columns.add(label);
    columns.add(BATCH_ID);
    columns.addAll(slices);
    List<Column> selected = new ArrayList<>();
    columns.forEach(c -> selected.add(ColumnNames.column(c)));
    return features.where(functions.col(label).isNotNull()).select(selected.toArray(Column[]::new))
        .join(functions.broadcast(arrivals), scala.jdk.javaapi.CollectionConverters.asScala(List.of(BATCH_ID)).toSeq(),
            "left");
  }
}
