package io.mlcycle.openlineage;

import io.mlcycle.io.Storage;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * An OpenLineage dataset's namespace and name. A table is named by its path under the storage root
 * ({@code silver/flights}) in the namespace of the root itself ({@code file:///data/mlcycle-data},
 * {@code s3a://bucket/prefix}), so the same table is the same dataset in every event. A file read from
 * elsewhere is named by its path in the namespace of its file system ({@code file}, {@code s3a://bucket}).
 * Credentials written into a URI never reach an event.
 */
record DatasetId(String namespace, String name) {
  /** A table under the storage root, by its path relative to the root. */
  static DatasetId table(Storage storage, String table) {
    return new DatasetId(namespace(storage), table);
  }

  /** The namespace of the tables under {@code storage}: its root URI without user info. */
  static String namespace(Storage storage) {
    URI root = URI.create(storage.root());
    if (root.getUserInfo() == null) {
      return root.toString();
    }
    try {
      return new URI(root.getScheme(), null, root.getHost(), root.getPort(), root.getPath(), null, null).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Cannot name the storage root's namespace: " + e.getMessage(), e);
    }
  }

  /** A file, folder or glob outside the storage root, given as a URI or a local path. */
  static DatasetId file(String location) {
    int colon = location.indexOf(':');
    boolean hasScheme = colon > 1 && location.substring(0, colon).matches("[a-zA-Z][a-zA-Z0-9+.-]*");
    if (!hasScheme) {
      return new DatasetId("file", java.nio.file.Path.of(location).toAbsolutePath().normalize().toString());
    }
    String scheme = location.substring(0, colon);
    String rest = location.substring(colon + 1);
    if ("file".equals(scheme)) {
      return new DatasetId("file", rest.replaceFirst("^//(?=/)", ""));
    }
    String authority = rest.replaceFirst("^//", "");
    int slash = authority.indexOf('/');
    String host = (slash < 0 ? authority : authority.substring(0, slash)).replaceFirst("^.*@", "");
    return new DatasetId(scheme + "://" + host, slash < 0 ? "" : authority.substring(slash + 1));
  }
}
