import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_timestamp_ntz;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Cuts the flights parquet into one CSV batch per month, the way an upstream system would deliver
 * them, so that ingest has real files to pick up.
 *
 * <p>Every flight gets a synthetic {@code flight_id} (F + 7 digits) from its rank in an ordering by
 * all columns: the source has no key, and ranking over every column makes reruns give byte-identical
 * files (rows that tie are exact duplicates, so which one gets which id cannot show). Ids are
 * assigned before sampling, so a sampled row carries the same id as in the full-size cut.
 *
 * <p>The six rows stamped exactly 2001-07-01 00:00:00 are flights of the night of June 30 that the
 * source rounded up to midnight; they go into the June batch rather than a seventh, near-empty one.
 *
 * <p>{@code --faults} rewrites the April file with the deterministic faults listed in
 * data/README.md and prints the table of line numbers it produced.
 */
public final class CutBatches {

    static final String HEADER = "flight_id,date,delay,distance,origin,destination";
    static final String APRIL = "2001-04";

    record Options(Path in, Path out, Integer samplePerMonth, long seed, boolean faults, Path singleCsv) {}

    public static void main(String[] args) throws IOException {
        Options options = parse(args);
        SparkSession spark = SparkSession.builder()
                .appName("cut-batches")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "6")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        // A global rank needs all rows in one partition; Spark warns about it on every run, and here
        // 3M narrow rows in one partition is intended. Set after setLogLevel, which resets levels.
        Configurator.setLevel("org.apache.spark.sql.execution.window.WindowExec", Level.ERROR);
        try {
            long started = System.nanoTime();
            Dataset<Row> flights = withMonths(withFlightIds(spark.read().parquet(options.in().toString())));
            Dataset<Row> selected = options.samplePerMonth() == null
                    ? flights
                    : sample(flights, options.samplePerMonth(), options.seed());
            selected = selected.cache();
            Map<String, Long> counts = writeMonthly(selected, options.out());
            if (options.singleCsv() != null) {
                writeSingle(selected, options.singleCsv());
            }
            if (options.faults()) {
                Path april = options.out().resolve(APRIL + ".csv");
                List<FaultInjector.Fault> table = FaultInjector.inject(april, options.seed());
                System.out.println(FaultInjector.markdown(table));
                counts.put(APRIL, dataLines(april));
            }
            counts.forEach((month, n) -> System.out.printf("%s.csv %d rows%n", month, n));
            System.out.printf("cut %d rows into %s in %.1f s%n",
                    counts.values().stream().mapToLong(Long::longValue).sum(), options.out(),
                    (System.nanoTime() - started) / 1e9);
        } finally {
            spark.stop();
        }
    }

    static Dataset<Row> withFlightIds(Dataset<Row> flights) {
        var everyColumn = Window.orderBy(col("date"), col("origin"), col("destination"),
                col("distance"), col("delay"));
        return flights.withColumn("flight_id",
                format_string("F%07d", row_number().over(everyColumn)));
    }

    static Dataset<Row> withMonths(Dataset<Row> flights) {
        return flights.withColumn("month",
                when(col("date").equalTo(to_timestamp_ntz(lit("2001-07-01 00:00:00"))), lit("2001-06"))
                        .otherwise(date_format(col("date"), "yyyy-MM")));
    }

    /** Seeded per-month sample: the N rows of each month with the smallest hash of (id, seed). */
    static Dataset<Row> sample(Dataset<Row> flights, int perMonth, long seed) {
        var byHash = Window.partitionBy(col("month"))
                .orderBy(xxhash64(col("flight_id"), lit(seed)), col("flight_id"));
        return flights.withColumn("pick", row_number().over(byHash))
                .where(col("pick").leq(perMonth))
                .drop("pick");
    }

    static Dataset<Row> csvColumns(Dataset<Row> rows, Column... extra) {
        List<Column> columns = new ArrayList<>(List.of(col("flight_id"),
                date_format(col("date"), "yyyy-MM-dd HH:mm:ss").as("date"),
                col("delay"), col("distance"), col("origin"), col("destination")));
        columns.addAll(List.of(extra));
        return rows.select(columns.toArray(Column[]::new));
    }

    static Map<String, Long> writeMonthly(Dataset<Row> rows, Path out) throws IOException {
        Path staging = out.resolve("_staging");
        deleteTree(staging);
        csvColumns(rows, col("month")).repartition(col("month"))
                // Sorted by the partition column first: otherwise the writer re-sorts by month alone
                // and the flight_id order within a file is lost.
                .sortWithinPartitions(col("month"), col("flight_id"))
                .write()
                .partitionBy("month")
                .option("header", "true")
                .csv(staging.toString());
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(staging)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String month = dir.getFileName().toString().substring("month=".length());
                Path target = out.resolve(month + ".csv");
                Files.move(onlyPart(dir), target, StandardCopyOption.REPLACE_EXISTING);
                counts.put(month, dataLines(target));
            }
        }
        deleteTree(staging);
        return counts;
    }

    static void writeSingle(Dataset<Row> rows, Path file) throws IOException {
        Path staging = file.resolveSibling(file.getFileName() + "._staging");
        deleteTree(staging);
        csvColumns(rows).orderBy(col("flight_id"))
                .coalesce(1)
                .write()
                .option("header", "true")
                .csv(staging.toString());
        Files.move(onlyPart(staging), file, StandardCopyOption.REPLACE_EXISTING);
        deleteTree(staging);
    }

    static Path onlyPart(Path dir) throws IOException {
        List<Path> parts = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "part-*.csv")) {
            files.forEach(parts::add);
        }
        if (parts.size() != 1) {
            throw new IllegalStateException("Cannot name the batch file: expected one part file in "
                    + dir + ", found " + parts.size());
        }
        return parts.get(0);
    }

    static long dataLines(Path csv) throws IOException {
        try (Stream<String> lines = Files.lines(csv, StandardCharsets.UTF_8)) {
            return lines.count() - 1;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static Options parse(String[] args) {
        String shared = System.getenv("MLCYCLE_SHARED_DATA");
        Path in = shared == null ? null : Path.of(shared, "flights-3m.parquet");
        String home = System.getProperty("mlcycle.home", ".");
        Path out = Path.of(home, "bench", "out", "flights-monthly");
        Integer sample = null;
        long seed = 2001;
        boolean faults = false;
        Path single = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--in" -> in = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--sample-per-month" -> sample = Integer.valueOf(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--faults" -> faults = true;
                case "--single-csv" -> single = Path.of(value(args, ++i));
                case "--help" -> usage(0, null);
                default -> usage(2, "Cannot parse the command line: unknown option " + args[i]);
            }
        }
        if (in == null) {
            usage(2, "Cannot find the flights parquet: pass --in FILE or set MLCYCLE_SHARED_DATA");
        }
        return new Options(in, out, sample, seed, faults, single);
    }

    static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(2, "Cannot parse the command line: " + args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void usage(int code, String error) {
        if (error != null) {
            System.err.println(error);
        }
        System.err.println("""
                usage: cut-batches.sh [--in PARQUET] [--out DIR] [--sample-per-month N] [--seed S]
                                      [--faults] [--single-csv FILE]
                  --in                flights parquet (default $MLCYCLE_SHARED_DATA/flights-3m.parquet)
                  --out               folder for 2001-01.csv .. 2001-06.csv (default bench/out/flights-monthly)
                  --sample-per-month  seeded random sample of N rows per month (default: all rows)
                  --seed              seed of the sample and of the fault positions (default 2001)
                  --faults            inject the faults documented in data/README.md into 2001-04.csv
                  --single-csv        also write all selected rows, without faults, as one CSV""");
        System.exit(code);
    }

    /**
     * Rewrites one batch file with realistic faults at seeded positions, so that quarantine has
     * something to catch. Faults replace or follow existing data lines; the header stays line 1.
     */
    static final class FaultInjector {

        enum Kind {
            TOO_FEW_FIELDS(2, "malformed: 5 fields (distance missing)"),
            TOO_MANY_FIELDS(2, "malformed: 7 fields (a stray trailing field)"),
            NON_NUMERIC_DELAY(4, "delay is `n/a`"),
            UNPARSEABLE_DATE(4, "date in US format `MM/dd/yyyy HH:mm` (unparseable as `yyyy-MM-dd HH:mm:ss`)"),
            EMPTY_DELAY(15, "delay empty (null)"),
            EMPTY_ORIGIN(8, "origin empty (null)"),
            DELAY_TOO_HIGH(3, "delay `99999` (out of range)"),
            DELAY_TOO_LOW(3, "delay `-5000` (out of range)"),
            UNKNOWN_AIRPORT(10, "origin `XXQ` (not in airports.csv)"),
            EXACT_DUPLICATE(20, "exact duplicate of the line above (same flight_id, same values)"),
            CONFLICTING_DUPLICATE(1, "same flight_id as the line above, different delay and distance");

            final int count;
            final String description;

            Kind(int count, String description) {
                this.count = count;
                this.description = description;
            }

            boolean inserts() {
                return this == EXACT_DUPLICATE || this == CONFLICTING_DUPLICATE;
            }
        }

        record Fault(Kind kind, List<Integer> lines) {}

        private record Line(String text, Kind kind) {}

        static List<Fault> inject(Path file, long seed) throws IOException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> data = lines.subList(1, lines.size());
            Map<Integer, Kind> targets = pickTargets(data.size(), seed);
            List<Line> result = new ArrayList<>();
            result.add(new Line(lines.get(0), null));
            for (int i = 0; i < data.size(); i++) {
                Kind kind = targets.get(i);
                String original = data.get(i);
                if (kind == null) {
                    result.add(new Line(original, null));
                } else if (kind.inserts()) {
                    result.add(new Line(original, null));
                    result.add(new Line(apply(kind, original), kind));
                } else {
                    result.add(new Line(apply(kind, original), kind));
                }
            }
            Files.write(file, result.stream().map(Line::text).toList(), StandardCharsets.UTF_8);
            return table(result);
        }

        /** Distinct data-line indexes per kind, drawn from a seeded generator: same seed, same file. */
        static Map<Integer, Kind> pickTargets(int dataLines, long seed) {
            Random random = new Random(seed);
            Map<Integer, Kind> targets = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                int placed = 0;
                while (placed < kind.count) {
                    if (targets.putIfAbsent(random.nextInt(dataLines), kind) == null) {
                        placed++;
                    }
                }
            }
            return targets;
        }

        static String apply(Kind kind, String line) {
            String[] f = line.split(",", -1);
            return switch (kind) {
                case TOO_FEW_FIELDS -> String.join(",", f[0], f[1], f[2], f[4], f[5]);
                case TOO_MANY_FIELDS -> line + ",";
                case NON_NUMERIC_DELAY -> with(f, 2, "n/a");
                case UNPARSEABLE_DATE -> with(f, 1, usDate(f[1]));
                case EMPTY_DELAY -> with(f, 2, "");
                case EMPTY_ORIGIN -> with(f, 4, "");
                case DELAY_TOO_HIGH -> with(f, 2, "99999");
                case DELAY_TOO_LOW -> with(f, 2, "-5000");
                case UNKNOWN_AIRPORT -> with(f, 4, "XXQ");
                case EXACT_DUPLICATE -> line;
                case CONFLICTING_DUPLICATE -> with(with(f, 2, String.valueOf(Long.parseLong(f[2]) + 47))
                        .split(",", -1), 3, String.valueOf(Long.parseLong(f[3]) + 112));
            };
        }

        static String with(String[] fields, int index, String value) {
            String[] copy = fields.clone();
            copy[index] = value;
            return String.join(",", copy);
        }

        /** 2001-04-12 07:15:00 becomes 04/12/2001 07:15, a format a careless exporter would use. */
        static String usDate(String iso) {
            return iso.substring(5, 7) + "/" + iso.substring(8, 10) + "/" + iso.substring(0, 4)
                    + " " + iso.substring(11, 16);
        }

        static List<Fault> table(List<Line> lines) {
            Map<Kind, List<Integer>> at = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                at.put(kind, new ArrayList<>());
            }
            for (int i = 0; i < lines.size(); i++) {
                Kind kind = lines.get(i).kind();
                if (kind != null) {
                    at.get(kind).add(i + 1);
                }
            }
            return at.entrySet().stream().map(e -> new Fault(e.getKey(), e.getValue())).toList();
        }

        static String markdown(List<Fault> faults) {
            StringBuilder table = new StringBuilder("| fault | count | line numbers (header = line 1) |\n|---|---|---|\n");
            int total = 0;
            for (Fault fault : faults) {
                total += fault.lines().size();
                table.append("| ").append(fault.kind().description).append(" | ")
                        .append(fault.lines().size()).append(" | ")
                        .append(String.join(", ", fault.lines().stream().map(String::valueOf).toList()))
                        .append(" |\n");
            }
            return table.append("| **total faulty lines** | ").append(total).append(" | |").toString();
        }
    }
}
