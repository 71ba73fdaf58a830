package io.mlcycle.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's packages form a hierarchy: no package reaches, through its imports, a package that
 * reaches it back, so each lifecycle stage can be read and tested from the bottom up. Read from the
 * sources (imports and fully qualified names), so it needs no bytecode tool.
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java/io/mlcycle");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.mlcycle\\.([a-z]+)\\.");

  @Test
  void noPackageDependsOnItselfThroughAnother() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    assertTrue(uses.size() > 10, "found the library's packages: " + uses.keySet());
    List<String> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      List<String> path = cycleFrom(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>());
      if (path != null) {
        cycles.add(String.join(" -> ", path));
      }
    }
    assertEquals(List.of(), cycles, "package cycles (move the shared piece into a package both may depend on)");
  }

  private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> uses, List<String> path,
                                        Set<String> seen) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = cycleFrom(start, next, uses, path, seen);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }

  /** Package → the other library packages its classes name. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
        Matcher names = REFERENCE.matcher(Files.readString(file).replaceAll("(?m)^package .*$", ""));
        while (names.find()) {
          if (!names.group(1).equals(pkg)) {
            used.add(names.group(1));
          }
        }
      }
    }
    return uses;
  }
}
