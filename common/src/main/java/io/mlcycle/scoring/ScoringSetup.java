package io.mlcycle.scoring;

import io.mlcycle.evaluation.EvaluationSpec;
import io.mlcycle.features.StoredDefinitions;
import java.util.List;

/**
 * What scoring a pipeline's model reads of the pipeline's settings, shared by the score action and the
 * promotion's smoke test so that both score the same way.
 *
 * @param dataset the dataset whose silver rows are scored and whose predictions table is written
 * @param model the registered model's name
 * @param entityKey the columns that identify a row: the entity key, or the row id when none is declared
 * @param eventTime the event-time column; empty for a dataset without one
 * @param evaluation where a binary model's decision threshold comes from
 *     ({@link io.mlcycle.evaluation.DecisionThreshold})
 * @param definitions how the stored feature definitions of each arm are read back
 */
public record ScoringSetup(String dataset, String model, List<String> entityKey, java.util.Optional<String> eventTime,
                           ScoringSpec scoring, EvaluationSpec evaluation, StoredDefinitions definitions) {}
