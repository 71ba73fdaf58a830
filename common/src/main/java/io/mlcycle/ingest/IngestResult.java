package io.mlcycle.ingest;

import java.util.List;

/**
 * What {@code ingest} did with one batch. Counts reconcile: {@code rowsRead = rowsBronze + rowsQuarantined}.
 *
 * @param written whether this run committed the batch (false: already ingested, or nothing to ingest)
 * @param skippedFiles files of the input already ingested under another batch id, not read again
 * @param message what happened, for the summary
 */
public record IngestResult(String batchId, boolean written, long rowsRead, long rowsBronze, long rowsQuarantined,
                           long bronzeVersion, long quarantineVersion, List<String> skippedFiles, String drift,
                           String message) {
  public IngestResult {
    skippedFiles = List.copyOf(skippedFiles);
  }
}
