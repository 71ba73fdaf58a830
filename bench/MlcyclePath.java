import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.jobs.Runner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mlcycle's own path for the training benchmark: the jobs given on the command line (separated by "::"),
 * run one after another through mlcycle's Runner in this one JVM, sharing one Spark session as the demo
 * does. Prints one JSON line with the same fields as the baselines: whole process (JVM start to end),
 * training step (the train job's own train_seconds: CV + refit + holdout + save), peak RSS (VmHWM),
 * holdout AUC, the chosen regParam, the Spark jobs of the train job, and each job's seconds and counters.
 *
 *   java <spark options> -cp <launcher class path> MlcyclePath ingest --input F :: validate :: features :: train \
 *     --all --pipeline P --set mlcycle.storage.root=R      (options after --all go to every job)
 */
public class MlcyclePath {
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> summaries = new LinkedHashMap<>();
    for (List<String> job : jobs(args)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = new Runner(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Clock.systemUTC())
          .execute(job.toArray(String[]::new));
      String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
      System.err.println(String.join("\n", lines));
      if (code != 0) {
        throw new IllegalStateException(job + " exited " + code);
      }
      summaries.put(job.get(0), json.readTree(lines[lines.length - 1]));
    }
    JsonNode train = summaries.get("train").get("counts");
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("implementation", "mlcycle");
    line.put("rows", train.get("train_rows").asLong() + train.get("test_rows").asLong());
    line.put("whole_process_s", round(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0));
    line.put("training_s", round(train.get("train_seconds").asDouble()));
    line.put("peak_rss_gb", round(peakRssGb()));
    line.put("holdout_auc", Math.round(train.get("holdout_areaUnderROC").asDouble() * 1e4) / 1e4);
    line.put("best_params", Map.of("regParam", summaries.get("train").get("message").asText()
        .replaceAll(".*reg-param=([^,}]+).*", "$1")));
    line.put("train_spark_jobs", train.get("spark_jobs").asInt());
    line.put("optimizer_passes", train.get("optimizer_passes").asInt());
    Map<String, Double> jobSeconds = new LinkedHashMap<>();
    summaries.forEach((job, summary) -> jobSeconds.put(job, summary.get("seconds").asDouble()));
    line.put("job_seconds", jobSeconds);
    Map<String, JsonNode> jobCounts = new LinkedHashMap<>();
    summaries.forEach((job, summary) -> jobCounts.put(job, summary.get("counts")));
    line.put("job_counts", jobCounts);
    System.out.println(json.writeValueAsString(line));
    System.exit(0);
  }

  private static List<List<String>> jobs(String[] args) {
    List<List<String>> jobs = new ArrayList<>();
    List<String> current = new ArrayList<>();
    List<String> common = new ArrayList<>();
    boolean commonPart = false;
    for (String arg : args) {
      if (arg.equals("::")) {
        jobs.add(current);
        current = new ArrayList<>();
      } else if (arg.equals("--all")) {
        commonPart = true;
      } else if (commonPart) {
        common.add(arg);
      } else {
        current.add(arg);
      }
    }
    jobs.add(current);
    jobs.forEach(job -> job.addAll(common));
    return jobs;
  }

  /** The peak resident set of this process, from /proc (Linux). */
  private static double peakRssGb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
      }
    }
    return Double.NaN;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
