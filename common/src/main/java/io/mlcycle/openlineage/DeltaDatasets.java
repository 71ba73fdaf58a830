package io.mlcycle.openlineage;

import io.mlcycle.io.Storage;
import io.openlineage.client.OpenLineage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A run's Delta tables as OpenLineage datasets: each with its schema and Delta version as facets, and an
 * output with what its new commits wrote (rows, bytes, files) as its output statistics.
 */
final class DeltaDatasets {
  private final OpenLineage openLineage;
  private final SparkSession spark;
  private final Storage storage;

  DeltaDatasets(OpenLineage openLineage, SparkSession spark, Storage storage) {
    this.openLineage = openLineage;
    this.spark = spark;
    this.storage = storage;
  }

  /** The tables the run read, by path under the root, each at the version it read. */
  List<OpenLineage.InputDataset> inputs(Map<String, Long> tables) {
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    tables.forEach((table, version) -> {
      DatasetId id = DatasetId.table(storage, table);
      inputs.add(openLineage.newInputDatasetBuilder().namespace(id.namespace()).name(id.name())
          .facets(facets(table, version)).build());
    });
    return inputs;
  }

  /** The tables whose version moved while the run ran, each at its new version. */
  List<OpenLineage.OutputDataset> outputs(List<TableVersions.Change> changes) {
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    for (TableVersions.Change change : changes) {
      DatasetId id = DatasetId.table(storage, change.table());
      DeltaCommits.Written written = DeltaCommits.written(spark, storage.path(change.table()), change.before(),
          change.after());
      OpenLineage.OutputStatisticsOutputDatasetFacet statistics = openLineage.newOutputStatisticsOutputDatasetFacet(
          written.rows().orElse(null), written.bytes().orElse(null), written.files().orElse(null));
      outputs.add(openLineage.newOutputDatasetBuilder().namespace(id.namespace()).name(id.name())
          .facets(facets(change.table(), change.after()))
          .outputFacets(openLineage.newOutputDatasetOutputFacetsBuilder().outputStatistics(statistics).build())
          .build());
    }
    return outputs;
  }

  private OpenLineage.DatasetFacets facets(String table, long version) {
    StructType schema = DeltaCommits.schemaAt(spark, storage.path(table), version);
    return openLineage.newDatasetFacetsBuilder()
        .schema(openLineage.newSchemaDatasetFacet(fields(schema)))
        .version(openLineage.newDatasetVersionDatasetFacet(Long.toString(version)))
        .build();
  }

  private List<OpenLineage.SchemaDatasetFacetFields> fields(StructType struct) {
    List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
    long position = 1;
    for (StructField field : struct.fields()) {
      List<OpenLineage.SchemaDatasetFacetFields> nested = field.dataType() instanceof StructType inner
          ? fields(inner) : null;
      fields.add(openLineage.newSchemaDatasetFacetFields(field.name(), field.dataType().simpleString(),
          field.getComment().getOrElse(() -> null), position++, nested));
    }
    return fields;
  }
}
