package io.mlcycle.config;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * What an unexpected failure says when the object store behind an {@code s3a://} root gave up on the job:
 * the endpoint, the cause at the bottom of the chain, the retries that were spent, and what to do. Still an
 * infrastructure failure (exit 1): the message replaces a stack of S3A and SDK exceptions that name no
 * mlcycle setting. Credentials never appear: they are not in the settings, and the causes do not carry them.
 */
public final class StoreFailure {
  private static final int MAX_CAUSE = 300;

  private StoreFailure() {}

  /** The message for {@code failure} when it came from the store of an {@code s3a://} root; empty otherwise. */
  public static Optional<String> describe(Throwable failure, Settings settings) {
    if (settings == null || !settings.storageRoot().startsWith("s3a://") || !fromStore(failure)) {
      return Optional.empty();
    }
    Settings.S3 s3 = settings.s3();
    String endpoint = s3.endpoint().isBlank() ? "AWS S3 in " + s3.region() : s3.endpoint();
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    if (cause.length() > MAX_CAUSE) {
      cause = cause.substring(0, MAX_CAUSE) + "…";
    }
    return Optional.of("the object store at " + endpoint + " (mlcycle.storage.s3.endpoint) failed the job after "
        + s3.attempts() + " attempts (mlcycle.storage.s3.retry.attempts): " + cause + ". Every table keeps its last "
        + "committed version; run the same command again when the store answers.");
  }

  private static boolean fromStore(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getName();
      if (name.startsWith("org.apache.hadoop.fs.s3a.") || name.startsWith("software.amazon.awssdk.")
          || t instanceof ConnectException || t instanceof SocketTimeoutException
          || t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }
}
