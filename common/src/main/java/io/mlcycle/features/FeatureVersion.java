package io.mlcycle.features;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * One version of a pipeline's features, a row of {@code _mlcycle/feature_versions}: the definition and
 * its hash, why it was created, the silver version its training window was read at, the feature-table
 * version it wrote, and the categories it froze. Training records the version; scoring rebuilds the
 * exact pipeline from it ({@link StoredDefinitions#of}, {@link #folding}).
 *
 * @param version 1, 2, ... per dataset
 * @param previousHash the hash this version replaced, when it replaced one
 * @param reason why it was created
 * @param definition the canonical definition ({@link FeatureSpec#definition()})
 * @param categories the frozen {@link CategoryFolding} as JSON
 * @param trainingStart first event time of the training window
 * @param trainingEnd last event time of the training window
 */
public record FeatureVersion(String dataset, int version, String hash, Optional<String> previousHash, String reason,
                             String definition, String categories, String other, long silverVersion,
                             long featuresTableVersion, long trainingRows, List<String> trainingBatches,
                             Timestamp trainingStart, Timestamp trainingEnd, String runId, Timestamp createdAt) {
  public FeatureVersion {
    trainingBatches = List.copyOf(trainingBatches);
  }

  public CategoryFolding folding() {
    return CategoryFolding.fromJson(categories, other);
  }
}
