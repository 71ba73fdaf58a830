package io.mlcycle.io;

import java.nio.file.Path;

/**
 * The storage root and the place of every table under it. A local folder and an {@code s3a://} URI
 * behave the same: paths are URIs, and all file access goes through Hadoop's FileSystem API.
 */
public final class Storage {
  /** Where mlcycle keeps its own tables (runs, metrics, models, ...). */
  public static final String SYSTEM = "_mlcycle";

  private final String root;

  private Storage(String root) {
    this.root = root;
  }

  /** A root from config: a URI with a scheme as it is, a plain path made absolute as a file: URI. */
  public static Storage at(String root) {
    String trimmed = root.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("storage root is empty");
    }
    String uri = hasScheme(trimmed) ? trimmed : Path.of(trimmed).toAbsolutePath().normalize().toUri().toString();
    return new Storage(uri.replaceAll("/+$", ""));
  }

  private static boolean hasScheme(String value) {
    return value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !value.matches("^[a-zA-Z]:\\\\.*");
  }

  public String root() {
    return root;
  }

  public String path(String relative) {
    return root + "/" + relative.replaceAll("^/+", "");
  }

  public String bronze(String dataset) {
    return path("bronze/" + dataset);
  }

  public String silver(String dataset) {
    return path("silver/" + dataset);
  }

  public String quarantine(String dataset) {
    return path("quarantine/" + dataset);
  }

  public String features(String dataset) {
    return path("features/" + dataset);
  }

  /** One of mlcycle's own tables: runs, metrics, params, quality, profiles, models, aliases, drift, decisions. */
  public String system(String table) {
    return path(SYSTEM + "/" + table);
  }

  public String model(String name, String version) {
    return path(modelLocation(name, version));
  }

  /** A model folder relative to the root, as the registry records it: a copied or moved root finds its own. */
  public static String modelLocation(String name, String version) {
    return "models/" + name + "/" + version;
  }

  /** A location the registry recorded: relative to this root, or (rows before relative paths) absolute. */
  public String resolve(String location) {
    return location.startsWith("/") || location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? location : path(location);
  }

  @Override
  public String toString() {
    return root;
  }
}
