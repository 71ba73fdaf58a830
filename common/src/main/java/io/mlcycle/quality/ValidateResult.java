package io.mlcycle.quality;

import java.util.List;
import java.util.Map;

/**
 * What {@code validate} did with one bronze batch. Counts reconcile:
 * {@code rowsIn = rowsSilver + rowsQuarantined + rowsDuplicate}.
 *
 * @param written whether this run committed the batch to silver (false: already there)
 * @param failedByRule rows (or 1 for a batch rule) failing each rule that did not pass
 */
public record ValidateResult(String batchId, boolean written, long rowsIn, long rowsSilver, long rowsQuarantined,
                             long rowsDuplicate, long silverVersion, long quarantineVersion,
                             Map<String, Long> failedByRule, List<String> warnings, String message) {
  public ValidateResult {
    failedByRule = Map.copyOf(failedByRule);
    warnings = List.copyOf(warnings);
  }
}
