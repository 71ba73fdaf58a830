package io.mlcycle.report;

import java.time.Instant;
import java.util.Optional;

/**
 * What a report is about: the pipeline (dataset), its model, the training run reported on, the evaluation
 * of that run if there is one, the storage root as configured (shown to readers and used by the exported
 * notebooks' queries), and when the report was made.
 */
public record ReportSubject(String pipeline, String model, String runId, Optional<String> evaluationRunId,
                            String storageRoot, Instant generatedAt) {}
