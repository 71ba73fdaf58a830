package io.mlcycle.openlineage;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.util.Map;

/**
 * mlcycle's own run facet ({@code mlcycle}): the run id as mlcycle, its tables and its summary line know it
 * (the OpenLineage run id is a UUID derived from it), the job, the pipeline and, once the run ended, its
 * status and exit code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class MlcycleRunFacet implements OpenLineage.RunFacet {
  static final URI SCHEMA = URI.create("urn:mlcycle:facets:1-0-0:MlcycleRunFacet");

  private final URI producer;
  private final String runId;
  private final String job;
  private final String pipeline;
  private final String status;
  private final Integer exitCode;

  MlcycleRunFacet(URI producer, String runId, String job, String pipeline, String status, Integer exitCode) {
    this.producer = producer;
    this.runId = runId;
    this.job = job;
    this.pipeline = pipeline;
    this.status = status;
    this.exitCode = exitCode;
  }

  @Override
  public URI get_producer() {
    return producer;
  }

  @Override
  public URI get_schemaURL() {
    return SCHEMA;
  }

  @Override
  public Map<String, Object> getAdditionalProperties() {
    return Map.of();
  }

  public String getRunId() {
    return runId;
  }

  public String getJob() {
    return job;
  }

  public String getPipeline() {
    return pipeline;
  }

  /** The summary's status ({@code succeeded}, {@code nothing_to_do}, {@code usage_error}, ...); absent in START. */
  public String getStatus() {
    return status;
  }

  /** The process exit code; absent in START. */
  public Integer getExitCode() {
    return exitCode;
  }
}
