package io.mlcycle.features;

/**
 * A join of a reference table onto each row: {@code on} (SQL over silver columns) matched against the
 * table's key; the matched columns arrive as one struct column named {@code name}.
 *
 * @param keyPath where it is declared, for messages
 */
public record Lookup(String name, String table, String on, String keyPath, String origin) {}
