import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.report.ChartRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The tables and the chart of bench/scaling.sh, from its results: one JSON line per process (mlcycle's path,
 * pandas+sklearn, the floor) and one TSV line per orchestrated job. Prints Markdown for bench/README.md and
 * draws seconds per million rows against rows with the report's chart code (XChart) to a PNG.
 *
 *   java -cp <launcher class path> bench/ScalingReport.java RESULTS.jsonl LATENCY.tsv CHART.png
 */
public class ScalingReport {
  private static final List<String> SIZES = List.of("1M", "3M", "10M");

  record Run(String size, String impl, JsonNode json) {
    double get(String... path) {
      JsonNode node = json;
      for (String key : path) {
        node = node.path(key);
      }
      return node.asDouble(Double.NaN);
    }

    double millions() {
      return json.get("rows").asDouble() / 1e6;
    }
  }

  public static void main(String[] args) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Run> runs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      JsonNode node = json.readTree(line);
      runs.add(new Run(node.get("size").asText(), node.get("implementation").asText(), node));
    }
    List<String> sizes = SIZES.stream().filter(s -> runs.stream().anyMatch(r -> r.size().equals(s))).toList();
    wholeTable(runs, sizes);
    perMillionTable(runs, sizes);
    floorTable(runs, sizes);
    crossing(runs, sizes);
    if (Files.exists(Path.of(args[1]))) {
      latencyTable(Files.readAllLines(Path.of(args[1])));
    }
    chart(runs, sizes, Path.of(args[2]));
  }

  private static void wholeTable(List<Run> runs, List<String> sizes) {
    System.out.println("| rows | implementation | runs | whole process s | training step s | peak RSS GB | holdout AUC"
        + " | whole / sklearn | training / sklearn |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (String size : sizes) {
      double baseWhole = median(runs, size, "pandas+sklearn", r -> r.get("whole_process_s"));
      double baseTrain = median(runs, size, "pandas+sklearn", r -> r.get("training_s"));
      for (String impl : List.of("mlcycle", "pandas+sklearn")) {
        double whole = median(runs, size, impl, r -> r.get("whole_process_s"));
        double train = median(runs, size, impl, r -> r.get("training_s"));
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.2f | %.4f | %.2f | %.2f |%n", size, impl,
            count(runs, size, impl), whole, train, median(runs, size, impl, r -> r.get("peak_rss_gb")),
            median(runs, size, impl, r -> r.get("holdout_auc")), whole / baseWhole, train / baseTrain);
      }
    }
    System.out.println();
  }

  /** The stages, each as seconds per million rows (median seconds over the runs ÷ millions of rows). */
  private static Map<String, ToDoubleFunction<Run>> stages() {
    Map<String, ToDoubleFunction<Run>> stages = new LinkedHashMap<>();
    stages.put("mlcycle ingest", r -> r.get("job_seconds", "ingest"));
    stages.put("mlcycle validate", r -> r.get("job_seconds", "validate"));
    stages.put("mlcycle features", r -> r.get("job_seconds", "features"));
    stages.put("mlcycle train", r -> r.get("job_seconds", "train"));
    stages.put("mlcycle whole", r -> r.get("whole_process_s"));
    stages.put("sklearn load", r -> r.get("load_s"));
    stages.put("sklearn training", r -> r.get("training_s"));
    stages.put("sklearn whole", r -> r.get("whole_process_s"));
    stages.put("floor bronze + silver", r -> r.get("bronze_s") + r.get("silver_s"));
    stages.put("floor features", r -> r.get("features_s"));
    return stages;
  }

  private static String implOf(String stage) {
    return stage.startsWith("mlcycle") ? "mlcycle" : stage.startsWith("sklearn") ? "pandas+sklearn" : "floor";
  }

  private static double perMillion(List<Run> runs, String size, String stage) {
    String impl = implOf(stage);
    return median(runs, size, impl, stages().get(stage)) / median(runs, size, impl, Run::millions);
  }

  private static void perMillionTable(List<Run> runs, List<String> sizes) {
    System.out.println("| seconds per million rows | " + String.join(" | ", sizes) + " |");
    System.out.println("|---|" + "---|".repeat(sizes.size()));
    for (String stage : stages().keySet()) {
      StringBuilder line = new StringBuilder("| " + stage + " |");
      for (String size : sizes) {
        line.append(String.format(Locale.ROOT, " %.1f |", perMillion(runs, size, stage)));
      }
      System.out.println(line);
    }
    StringBuilder rss = new StringBuilder("| peak RSS GB, mlcycle / sklearn |");
    for (String size : sizes) {
      rss.append(String.format(Locale.ROOT, " %.2f / %.2f |", median(runs, size, "mlcycle", r -> r.get("peak_rss_gb")),
          median(runs, size, "pandas+sklearn", r -> r.get("peak_rss_gb"))));
    }
    System.out.println(rss);
    System.out.println();
  }

  /** mlcycle's stage time after the session started (the jobs' own counters) over the floor's, per size. */
  private static void floorTable(List<Run> runs, List<String> sizes) {
    System.out.println("| rows | ingest + validate s | its floor s | ratio | features s | its floor s | ratio |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String size : sizes) {
      double stage = median(runs, size, "mlcycle",
          r -> r.get("job_counts", "ingest", "seconds_ingest") + r.get("job_counts", "validate", "seconds_validate"));
      double floor = median(runs, size, "floor", r -> r.get("bronze_s") + r.get("silver_s"));
      double features = median(runs, size, "mlcycle", r -> r.get("job_counts", "features", "features_seconds"));
      double featuresFloor = median(runs, size, "floor", r -> r.get("features_s"));
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |%n", size, stage, floor,
          stage / floor, features, featuresFloor, features / featuresFloor);
    }
    System.out.println();
  }

  /**
   * Where mlcycle's whole process would meet scikit-learn's: a least-squares line (fixed seconds + seconds per
   * million rows) through each one's medians, and the row count at which the two lines cross.
   */
  private static void crossing(List<Run> runs, List<String> sizes) {
    double[] ml = line(runs, sizes, "mlcycle");
    double[] sk = line(runs, sizes, "pandas+sklearn");
    System.out.printf(Locale.ROOT, "Whole process as a line through the medians: mlcycle %.1f s + %.1f s per million"
        + " rows, pandas+sklearn %.1f s + %.1f s per million rows", ml[0], ml[1], sk[0], sk[1]);
    if (sk[1] > ml[1]) {
      System.out.printf(Locale.ROOT, "; they cross at %.1fM rows.%n%n", (ml[0] - sk[0]) / (sk[1] - ml[1]));
    } else {
      System.out.println("; mlcycle's slope is not the smaller one, so the lines do not cross above zero rows.\n");
    }
  }

  private static double[] line(List<Run> runs, List<String> sizes, String impl) {
    double[] x = sizes.stream().mapToDouble(s -> median(runs, s, impl, Run::millions)).toArray();
    double[] y = sizes.stream().mapToDouble(s -> median(runs, s, impl, r -> r.get("whole_process_s"))).toArray();
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    double slope = sxy / sxx;
    return new double[] {my - slope * mx, slope};
  }

  private static void latencyTable(List<String> lines) {
    Map<String, Map<String, List<Double>>> times = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.split("\t");
      times.computeIfAbsent(f[1], v -> new LinkedHashMap<>()).computeIfAbsent(f[2], j -> new ArrayList<>())
          .add(Double.parseDouble(f[3]));
    }
    List<String> jobs = List.copyOf(times.values().iterator().next().keySet());
    System.out.println("| variant | runs | " + String.join(" | ", jobs) + " | five-job chain |");
    System.out.println("|---|---|" + "---|".repeat(jobs.size() + 1));
    times.forEach((variant, byJob) -> {
      double chain = 0;
      StringBuilder line = new StringBuilder("| " + variant + " | " + byJob.get(jobs.get(0)).size() + " |");
      for (String job : jobs) {
        double m = median(byJob.get(job));
        chain += m;
        line.append(String.format(Locale.ROOT, " %.1f |", m));
      }
      System.out.println(line.append(String.format(Locale.ROOT, " %.1f |", chain)));
    });
    System.out.println();
  }

  private static void chart(List<Run> runs, List<String> sizes, Path png) throws IOException {
    Map<String, double[][]> series = new LinkedHashMap<>();
    for (String stage : List.of("mlcycle whole", "mlcycle ingest", "mlcycle validate", "mlcycle features",
        "mlcycle train", "sklearn whole", "sklearn training", "floor bronze + silver")) {
      double[] x = sizes.stream().mapToDouble(s -> median(runs, s, implOf(stage), Run::millions)).toArray();
      double[] y = sizes.stream().mapToDouble(s -> perMillion(runs, s, stage)).toArray();
      series.put(stage, new double[][] {x, y});
    }
    Files.write(png, ChartRenderer.lines("Seconds per million rows, by stage (2 cores)", "bench/scaling.sh",
        "rows (millions)", "seconds per million rows", series, false).png());
  }

  private static double median(List<Run> runs, String size, String impl, ToDoubleFunction<Run> value) {
    return median(runs.stream().filter(r -> r.size().equals(size) && r.impl().equals(impl))
        .map(value::applyAsDouble).toList());
  }

  private static int count(List<Run> runs, String size, String impl) {
    return (int) runs.stream().filter(r -> r.size().equals(size) && r.impl().equals(impl)).count();
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
