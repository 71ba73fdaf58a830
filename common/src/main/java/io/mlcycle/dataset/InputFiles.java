package io.mlcycle.dataset;

import io.mlcycle.base.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The raw files one {@code ingest --input} names: a file, a folder (its visible files) or a glob, local
 * or on any Hadoop file system. A relative local path is taken from the working directory, else from
 * the mlcycle home folder (where the bundled sample data lives).
 */
public record InputFiles(String input, List<String> files) {
  public InputFiles {
    files = List.copyOf(files);
  }

  public static InputFiles resolve(String input, Configuration hadoop) {
    if (input == null || input.isBlank()) {
      throw Errors.usage("Cannot ingest: no input given. Pass --input PATH|GLOB or set pipeline.source.path.");
    }
    Path path = new Path(qualify(input));
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      FileStatus[] matches = fs.globStatus(path);
      List<String> files = new ArrayList<>();
      for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
        if (match.isDirectory()) {
          Arrays.stream(fs.listStatus(match.getPath())).filter(FileStatus::isFile)
              .filter(s -> isVisible(s.getPath())).forEach(s -> files.add(s.getPath().toString()));
        } else if (isVisible(match.getPath())) {
          files.add(match.getPath().toString());
        }
      }
      if (files.isEmpty()) {
        throw Errors.missingInput("input", input);
      }
      files.sort(Comparator.naturalOrder());
      return new InputFiles(input, files);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input " + input, e);
    }
  }

  /** The batch id a single file or folder implies: its name without extension; a glob implies none. */
  public String defaultBatchId() {
    if (isGlob(input) && files.size() != 1) {
      throw Errors.usage("Cannot derive a batch id from the glob " + input + " (it matches " + files.size()
          + " files). Pass --batch-id ID, or --batch-per-file to ingest each file as its own batch.");
    }
    String name = isGlob(input) ? new Path(files.get(0)).getName() : new Path(qualify(input)).getName();
    return batchIdOf(name);
  }

  /** A file's own batch id: its name without extension (2001-01.csv is batch 2001-01). */
  public static String batchIdOf(String fileOrFolder) {
    String name = new Path(fileOrFolder).getName();
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static boolean isGlob(String value) {
    return value.matches(".*[*?\\[{].*");
  }

  private static boolean isVisible(Path path) {
    return !path.getName().startsWith(".") && !path.getName().startsWith("_");
  }

  private static String qualify(String input) {
    if (input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return input;
    }
    java.nio.file.Path local = java.nio.file.Path.of(input);
    String home = System.getProperty("mlcycle.home");
    if (!local.isAbsolute() && home != null && !Files.exists(local) && !isGlob(input)
        && Files.exists(java.nio.file.Path.of(home).resolve(local))) {
      local = java.nio.file.Path.of(home).resolve(local);
    }
    return "file://" + local.toAbsolutePath().normalize();
  }

  /** The same resolution for a single reference file such as an allowed-values CSV. */
  public static String qualifyPath(String path) {
    return qualify(path);
  }
}
