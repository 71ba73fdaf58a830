package io.mlcycle.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Pins what readers of mlcycle's storage rely on (the report, the notebooks, the DAG, users' SQL): the schema
 * of every Delta table under a storage root, and the files of a saved model, against golden files checked in
 * under {@code jobs/src/test/resources/golden-schemas}. With {@code -Dgolden.update=true} the golden files
 * are rewritten from what the run wrote instead, for a deliberate change to be reviewed in the diff.
 *
 * <p>A schema file has one line per column, nested fields included, in order: {@code path type nullability},
 * where a struct's field is {@code parent.field}, an array's element {@code parent[]} and a map's key and
 * value {@code parent{key}} and {@code parent{value}}.
 */
final class GoldenSchemas {
  static final String UPDATE_PROPERTY = "golden.update";
  private static final String DATASET = "<dataset>";
  private static final String HOW_TO_ACCEPT = "If the change is deliberate, rerun with -D" + UPDATE_PROPERTY + "=true"
      + " (mvn -B -q -pl jobs -am test -Dtest=MonitorRetrainRunJobsTest -Dsurefire.failIfNoSpecifiedTests=false -D"
      + UPDATE_PROPERTY + "=true): it rewrites jobs/src/test/resources/golden-schemas; review the diff and commit it.";

  private final Path folder;
  private final boolean update;

  GoldenSchemas(Path folder, boolean update) {
    this.folder = folder;
    this.update = update;
  }

  /** The checked-in golden files of this checkout, rewritten when the build runs with -Dgolden.update=true. */
  static GoldenSchemas checkedIn() {
    return new GoldenSchemas(BundledFlights.repository().resolve("jobs/src/test/resources/golden-schemas"),
        Boolean.getBoolean(UPDATE_PROPERTY));
  }

  /** Every Delta table under {@code root} against its golden schema; {@code dataset} is named {@code <dataset>}. */
  void assertTables(SparkSession spark, Path root, String dataset) {
    Map<String, List<String>> schemas = new TreeMap<>();
    deltaTables(root).forEach(table -> schemas.put(normalised(root.relativize(table), dataset),
        columns(spark.read().format("delta").load(table.toString()).schema())));
    check(Kind.TABLE, schemas);
  }

  /** The files and folders of the model saved at {@code model}, and the top-level keys of its manifest. */
  void assertModel(Path model) {
    Map<String, List<String>> layout = new TreeMap<>();
    layout.put("models/<name>/<version>", layout(model));
    layout.put("models/<name>/<version>/manifest.json", manifestKeys(model.resolve("manifest.json")));
    check(Kind.MODEL, layout);
  }

  /** How one kind of golden file is named and compared. */
  private enum Kind {
    TABLE(".schema", "table", "columns in order, as: path type nullability", GoldenSchemas::columnChanges),
    MODEL(".layout", "model artifact",
        "a path (folders end in /) or a manifest key a line, part files and stage ids normalised",
        GoldenSchemas::entryChanges);

    final String extension;
    final String noun;
    final String format;
    final BiFunction<List<String>, List<String>, List<String>> changes;

    Kind(String extension, String noun, String format, BiFunction<List<String>, List<String>, List<String>> changes) {
      this.extension = extension;
      this.noun = noun;
      this.format = format;
      this.changes = changes;
    }
  }

  private void check(Kind kind, Map<String, List<String>> actual) {
    if (update) {
      rewrite(kind, actual);
    }
    Map<String, List<String>> golden = read(kind);
    List<String> problems = new ArrayList<>();
    actual.keySet().stream().filter(name -> !golden.containsKey(name)).forEach(name -> problems.add(kind.noun + " "
        + name + " has no golden file " + fileName(name, kind) + ": a new " + kind.noun + " needs one."));
    golden.keySet().stream().filter(name -> !actual.containsKey(name)).forEach(name -> problems.add("golden file "
        + fileName(name, kind) + " names " + kind.noun + " " + name + ", which the run did not create."));
    actual.forEach((name, lines) -> {
      if (golden.containsKey(name)) {
        kind.changes.apply(golden.get(name), lines).forEach(change -> problems.add(
            kind.noun + " " + name + ": " + change));
      }
    });
    if (!problems.isEmpty()) {
      throw new AssertionError("Cannot match the golden files in " + folder + ":\n  " + String.join("\n  ", problems)
          + "\n" + HOW_TO_ACCEPT);
    }
  }

  /** Removed, added, retyped and re-nulled columns, then columns whose order among their siblings changed. */
  private static List<String> columnChanges(List<String> goldenLines, List<String> actualLines) {
    Map<String, Column> golden = Column.byPath(goldenLines);
    Map<String, Column> actual = Column.byPath(actualLines);
    List<String> changes = new ArrayList<>();
    golden.values().stream().filter(c -> !actual.containsKey(c.path()))
        .forEach(c -> changes.add("column " + c.path() + " was removed (it was " + c.describe() + ")"));
    actual.values().stream().filter(c -> !golden.containsKey(c.path()))
        .forEach(c -> changes.add("column " + c.path() + " was added (" + c.describe() + ")"));
    actual.values().stream().filter(c -> golden.containsKey(c.path())).forEach(now -> {
      Column was = golden.get(now.path());
      if (!was.type().equals(now.type())) {
        changes.add("column " + now.path() + " changed type from " + was.type() + " to " + now.type());
      }
      if (!was.nullability().equals(now.nullability())) {
        changes.add("column " + now.path() + " changed from " + was.nullability() + " to " + now.nullability());
      }
    });
    Map<String, List<String>> wasOrder = Column.siblingOrder(golden.values(), actual.keySet());
    Map<String, List<String>> nowOrder = Column.siblingOrder(actual.values(), golden.keySet());
    wasOrder.forEach((parent, was) -> {
      if (!was.equals(nowOrder.get(parent))) {
        changes.add("columns " + (parent.isEmpty() ? "" : "of " + parent + " ") + "were reordered from " + was
            + " to " + nowOrder.get(parent));
      }
    });
    return changes;
  }

  private static List<String> entryChanges(List<String> golden, List<String> actual) {
    List<String> changes = new ArrayList<>();
    golden.stream().filter(e -> !actual.contains(e)).forEach(e -> changes.add(e + " is gone"));
    actual.stream().filter(e -> !golden.contains(e)).forEach(e -> changes.add(e + " is new"));
    return changes;
  }

  /** One line of a schema file. */
  private record Column(String path, String type, String nullability) {
    static Column parse(String line) {
      String[] parts = line.split(" ", 3);
      if (parts.length != 3) {
        throw new IllegalArgumentException("Cannot read golden column '" + line + "': expected path type nullability");
      }
      return new Column(parts[0], parts[1], parts[2]);
    }

    static Map<String, Column> byPath(List<String> lines) {
      Map<String, Column> columns = new LinkedHashMap<>();
      lines.stream().map(Column::parse).forEach(c -> columns.put(c.path(), c));
      return columns;
    }

    /** Parent path → the paths of its children that are in {@code alsoIn}, in order. */
    static Map<String, List<String>> siblingOrder(Iterable<Column> columns, Set<String> alsoIn) {
      Map<String, List<String>> order = new LinkedHashMap<>();
      for (Column column : columns) {
        if (alsoIn.contains(column.path())) {
          order.computeIfAbsent(column.parent(), p -> new ArrayList<>()).add(column.path());
        }
      }
      return order;
    }

    /** The enclosing column's path ("" at the top): up to the last '.', '[' or '{'. */
    String parent() {
      int last = Math.max(path.lastIndexOf('.'), Math.max(path.lastIndexOf('['), path.lastIndexOf('{')));
      return last < 0 ? "" : path.substring(0, last);
    }

    String describe() {
      return type + " " + nullability;
    }

    String line() {
      return path + " " + type + " " + nullability;
    }
  }

  /** The schema as lines, nested fields after their parent. */
  private static List<String> columns(StructType schema) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      flatten(field.name(), field.dataType(), field.nullable(), columns);
    }
    return columns.stream().map(Column::line).toList();
  }

  private static void flatten(String path, DataType type, boolean nullable, List<Column> into) {
    String name = type instanceof StructType || type instanceof ArrayType || type instanceof MapType
        ? type.typeName() : type.simpleString();
    into.add(new Column(path, name, nullable ? "nullable" : "not-null"));
    if (type instanceof StructType struct) {
      for (StructField field : struct.fields()) {
        flatten(path + "." + field.name(), field.dataType(), field.nullable(), into);
      }
    } else if (type instanceof ArrayType array) {
      flatten(path + "[]", array.elementType(), array.containsNull(), into);
    } else if (type instanceof MapType map) {
      flatten(path + "{key}", map.keyType(), false, into);
      flatten(path + "{value}", map.valueType(), map.valueContainsNull(), into);
    }
  }

  /** Every Delta table under {@code root} (a folder with a {@code _delta_log}), not looking inside tables. */
  static List<Path> deltaTables(Path root) {
    List<Path> tables = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
          if (Files.isDirectory(dir.resolve("_delta_log"))) {
            tables.add(dir);
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the tables under " + root, e);
    }
    return tables;
  }

  private static String normalised(Path relative, String dataset) {
    List<String> parts = new ArrayList<>();
    relative.forEach(part -> parts.add(part.toString().equals(dataset) ? DATASET : part.toString()));
    return String.join("/", parts);
  }

  /**
   * Paths relative to the model folder, folders ending in '/', sorted; Hadoop's .crc files left out, part
   * files and MLlib's random stage ids (a 12-hex-digit suffix) normalised so that only the layout remains.
   */
  private static List<String> layout(Path model) {
    try (Stream<Path> entries = Files.walk(model)) {
      return entries.filter(p -> !p.equals(model) && !p.getFileName().toString().startsWith("."))
          .map(p -> model.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : ""))
          .map(p -> p.replaceAll("part-[^/.]+", "part-*").replaceAll("_[0-9a-f]{12}(/|$)", "_<uid>$1"))
          .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the model at " + model, e);
    }
  }

  private static List<String> manifestKeys(Path manifest) {
    try {
      List<String> keys = new ArrayList<>();
      new ObjectMapper().readTree(manifest.toFile()).fieldNames().forEachRemaining(keys::add);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + manifest, e);
    }
  }

  private String fileName(String name, Kind kind) {
    return name.replace("/", "__").replace("<", "").replace(">", "") + kind.extension;
  }

  private static String header(String name, Kind kind) {
    return "# " + kind.noun + " " + name + ": " + kind.format + ". Rewritten by -D" + UPDATE_PROPERTY + "=true.";
  }

  /** Name → lines of every golden file of this kind; the name is on the file's first (header) line. */
  private Map<String, List<String>> read(Kind kind) {
    Map<String, List<String>> golden = new TreeMap<>();
    for (Path file : files(kind)) {
      try {
        List<String> lines = Files.readAllLines(file);
        String prefix = "# " + kind.noun + " ";
        if (lines.isEmpty() || !lines.get(0).startsWith(prefix)) {
          throw new IllegalStateException("Cannot read golden file " + file + ": its first line should be '"
              + prefix + "<name>: ...'. " + HOW_TO_ACCEPT);
        }
        String name = lines.get(0).substring(prefix.length(), lines.get(0).indexOf(": "));
        golden.put(name, lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read golden file " + file, e);
      }
    }
    return golden;
  }

  private List<Path> files(Kind kind) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(kind.extension)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + folder, e);
    }
  }

  private void rewrite(Kind kind, Map<String, List<String>> actual) {
    try {
      Files.createDirectories(folder);
      for (Path stale : files(kind)) {
        Files.delete(stale);
      }
      for (Map.Entry<String, List<String>> entry : actual.entrySet()) {
        List<String> lines = new ArrayList<>(List.of(header(entry.getKey(), kind)));
        lines.addAll(entry.getValue());
        Files.write(folder.resolve(fileName(entry.getKey(), kind)), lines);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rewrite the golden files in " + folder, e);
    }
  }
}
