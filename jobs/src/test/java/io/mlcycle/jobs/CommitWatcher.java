package io.mlcycle.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Watches a storage root (inotify, through the JDK's WatchService) for the first commit file a job writes
 * after the watch starts: a Delta commit ({@code _delta_log/NNNNNNNNNNNNNNNNNNNN.json}) or a saved model's
 * {@code manifest.json}. The Runner's own record of an attempt ({@code _mlcycle/runs}) is not the job's
 * commit and is not watched: every attempt writes one, so a kill there would never let a step finish.
 */
final class CommitWatcher implements AutoCloseable {
  private static final Pattern DELTA_COMMIT = Pattern.compile("\\d{20}\\.json");

  private final Path root;
  private final WatchService watcher;
  private final Map<WatchKey, Path> folders = new HashMap<>();
  private final CompletableFuture<Path> firstCommit = new CompletableFuture<>();
  private final Thread thread;

  CommitWatcher(Path root) throws IOException {
    this.root = root;
    this.watcher = root.getFileSystem().newWatchService();
    registerTree(root, false);
    thread = new Thread(this::watch, "commit-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Completes with the first commit file that appeared since this watcher started. */
  CompletableFuture<Path> firstCommit() {
    return firstCommit;
  }

  /** Whether {@code file} is a commit file of a job (not the Runner's attempt log). */
  static boolean isCommit(Path root, Path file) {
    String name = file.getFileName().toString();
    Path parent = file.getParent();
    boolean delta = DELTA_COMMIT.matcher(name).matches() && parent != null
        && parent.getFileName().toString().equals("_delta_log")
        && !root.relativize(parent).toString().replace('\\', '/').equals("_mlcycle/runs/_delta_log");
    return delta || name.equals("manifest.json");
  }

  private void watch() {
    try {
      while (!firstCommit.isDone()) {
        WatchKey key = watcher.take();
        Path folder = folders.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.OVERFLOW || folder == null) {
            continue;
          }
          Path created = folder.resolve((Path) event.context());
          if (Files.isDirectory(created)) {
            registerTree(created, true);
          } else if (isCommit(root, created)) {
            firstCommit.complete(created);
          }
        }
        key.reset();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      firstCommit.cancel(false);
    } catch (IOException | UncheckedIOException e) {
      firstCommit.completeExceptionally(e);
    }
  }

  /**
   * Registers {@code top} and every folder under it. In a folder that appeared during the watch, the files
   * already there were written before it could be registered, so they are looked at too.
   */
  private void registerTree(Path top, boolean appeared) throws IOException {
    try (Stream<Path> tree = Files.walk(top)) {
      for (Path path : (Iterable<Path>) tree::iterator) {
        if (Files.isDirectory(path)) {
          folders.put(path.register(watcher, StandardWatchEventKinds.ENTRY_CREATE), path);
        } else if (appeared && isCommit(root, path)) {
          firstCommit.complete(path);
        }
      }
    } catch (java.nio.file.NoSuchFileException | UncheckedIOException e) {
      // A temporary folder that went away while it was walked holds no commit.
    }
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    thread.interrupt();
  }
}
