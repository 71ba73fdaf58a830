package io.mlcycle.training;

/**
 * The configuration a training run records in its lineage: the hash of the whole resolved configuration,
 * and the resolved {@code pipeline} section itself as JSON (secrets redacted), from which
 * {@code mlcycle reproduce} rebuilds the run's settings.
 */
public record RecordedConfig(String hash, String pipeline) {}
