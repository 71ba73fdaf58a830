package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.io.Storage;
import io.mlcycle.registry.ModelRegistry;
import io.mlcycle.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multiclass with string labels and regression through the whole loop, as a user runs them: ingest →
 * validate → features → train → evaluate (first champion) → run the next month (score, its labels,
 * monitor, retrain on the task's realised metrics) → report and lineage, each in the task's metrics. The data
 * is iris-shaped: four measurements and a species drawn around each species' centre, from a fixed seed;
 * February brings a few rows of a species the model never saw.
 */
class EveryTaskJobsTest {
  private static final String[] SPECIES = {"setosa", "versicolor", "virginica"};
  private static final double[][] CENTRES = {{5.0, 3.4, 1.5, 0.2}, {5.9, 2.8, 4.3, 1.3}, {6.6, 3.0, 5.6, 2.0}};
  private static final double[] SPREAD = {0.35, 0.3, 0.45, 0.25};

  @TempDir
  Path dir;

  private static SparkSession spark() {
    return TestSpark.session();
  }

  @Test
  void multiclassWithStringLabelsAndRegressionRunTheWholeLoop() throws IOException {
    Path january = month("2024-01", 400, 1, 0);
    Path february = month("2024-02", 150, 2, 4);

    Loop multiclass = new Loop(dir.resolve("multiclass"), """
        label { column = label, expr = "species" }
        features = [
          { name = sepal_length, expr = "sepal_length" }
          { name = sepal_width, expr = "sepal_width" }
          { name = petal_length, expr = "petal_length" }
          { name = petal_width, expr = "petal_width" }
        ]
        model {
          task = multiclass
          numeric = [sepal_length, sepal_width, petal_length, petal_width]
          metric = macroF1
        }
        evaluate.gates { min { accuracy = 0.5, macroF1 = 0.5 }, max { logLoss = 1.5 } }
        monitoring.performance { max-worsening { macroF1 = 0.1 }, ceiling { logLoss = 5 } }
        """);
    JobRun misfit = multiclass.run("train", "--set", "pipeline.model.metric=areaUnderROC");
    assertEquals(2, misfit.code(), misfit.err());
    assertTrue(misfit.err().contains("'pipeline.model.metric'") && misfit.err().contains("not a metric of task "
        + "multiclass"), misfit.err());
    multiclass.firstChampion(january);
    multiclass.succeeded("run", "--input", february.toString(), "--batch-id", "2024-02");

    List<Row> predictions = multiclass.table(new io.mlcycle.scoring.PredictionsTable(spark(), multiclass.storage, "iris").path());
    assertTrue(predictions.stream().allMatch(r -> List.of(SPECIES).contains(r.<String>getAs("predicted_class"))),
        "every prediction names its class");
    Map<String, Double> realised = multiclass.realised("2024-02");
    assertTrue(realised.get("accuracy") > 0.7, realised.toString());
    assertTrue(realised.get("macroF1") > 0.7 && realised.get("weightedF1") > 0.7, realised.toString());
    assertTrue(realised.get("logLoss") > 0 && realised.get("logLoss") < 1, realised.toString());
    assertTrue(!realised.containsKey("areaUnderROC"), "no binary metric for a multiclass model: " + realised);
    assertEquals(4.0, realised.get("unseen_labels"), "February's hybrids are a class the model never saw: counted");
    String decision = multiclass.lastDecision();
    // The unseen class has an F1 of 0, which takes macro F1 well over 10% below the held-out value.
    assertTrue(decision.contains("realised macroF1") && decision.contains("worse than held out at training"),
        decision);
    multiclass.succeeded("report", "--run", "r1", "--output", dir.resolve("multiclass.html").toString());
    String report = Files.readString(dir.resolve("multiclass.html"));
    for (String shown : List.of("predicted setosa", "Largest coefficients per class", "macroF1 per batch by role",
        "ROC and precision-recall curves apply to binary models", "unseen_labels per batch by role")) {
      assertTrue(report.contains(shown), shown + " in the multiclass report");
    }
    for (String binary : List.of("areaUnderROC per batch", "ROC curve", "Reliability diagram", "predicted positive")) {
      assertTrue(!report.contains(binary), "no " + binary + " in the multiclass report");
    }
    String lineage = multiclass.succeeded("lineage", "--model", "iris:1").out();
    assertTrue(lineage.contains("(multiclass, chosen by macroF1)") && lineage.contains("realised as champion on ")
        && lineage.contains(": macroF1 ") && !lineage.contains("AUC"), lineage);

    Loop regression = new Loop(dir.resolve("regression"), """
        label { column = label, expr = "petal_length" }
        features = [
          { name = sepal_length, expr = "sepal_length" }
          { name = sepal_width, expr = "sepal_width" }
          { name = petal_width, expr = "petal_width" }
          { name = species, expr = "species", categorical = true }
        ]
        model {
          task = regression
          algorithm = linear-regression
          numeric = [sepal_length, sepal_width, petal_width]
          categorical = [species]
          metric = rmse
        }
        evaluate.gates { max { rmse = 1.5 }, min { r2 = 0.5 } }
        monitoring.performance { ceiling { rmse = 0.01 } }
        """);
    regression.firstChampion(january);
    regression.succeeded("run", "--input", february.toString(), "--batch-id", "2024-02");
    Map<String, Double> errors = regression.realised("2024-02");
    assertTrue(errors.get("rmse") > 0 && errors.get("rmse") < 1, errors.toString());
    assertTrue(errors.get("mae") > 0 && errors.get("mae") <= errors.get("rmse"), errors.toString());
    assertTrue(errors.get("r2") > 0.5, errors.toString());
    // Residual drift over the deciles training recorded: February is drawn like January, so it is small.
    assertTrue(errors.get("residual_psi") >= 0 && errors.get("residual_psi") < 1, errors.toString());
    assertTrue(!errors.containsKey("areaUnderROC") && !errors.containsKey("accuracy")
        && !errors.containsKey("logLoss"), "no classification metric for a regression model: " + errors);
    String regressionDecision = regression.lastDecision();
    assertTrue(regressionDecision.contains("realised rmse") && regressionDecision.contains("above ceiling"),
        regressionDecision);
    JobRun regressionReport = regression.succeeded("report", "--output", dir.resolve("regression.html").toString());
    String champion = new ModelRegistry(spark(), regression.storage).holder("iris", ModelRegistry.CHAMPION)
        .orElseThrow().runId();
    assertTrue(regressionReport.out().contains("Report on run " + champion + ":"), "the champion's run by default: "
        + regressionReport.out());
    String regressionHtml = Files.readString(dir.resolve("regression.html"));
    for (String shown : List.of("A confusion matrix applies to classifiers", "rmse per batch by role",
        "mean_residual per batch by role", "Largest coefficients")) {
      assertTrue(regressionHtml.contains(shown), shown + " in the regression report");
    }
    String regressionLineage = regression.succeeded("lineage", "--model", "iris:1").out();
    assertTrue(regressionLineage.contains("(regression, chosen by rmse)")
        && regressionLineage.contains("realised as champion on ") && regressionLineage.contains(": rmse ")
        && regressionLineage.contains("mean_residual "), regressionLineage);
  }

  /**
   * One month of iris-shaped rows: id, measured_at, four measurements, species; the last {@code hybrids} rows
   * are of a species no earlier month had.
   */
  private Path month(String month, int rows, long seed, int hybrids) throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>(List.of(
        "id,measured_at,sepal_length,sepal_width,petal_length,petal_width,species"));
    for (int i = 0; i < rows; i++) {
      int species = random.nextInt(3);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s-%04d,%s-%02d 12:00:00", month, i, month,
          1 + i % 28));
      for (int m = 0; m < 4; m++) {
        line.append(String.format(Locale.ROOT, ",%.2f",
            Math.max(0.1, CENTRES[species][m] + SPREAD[m] * random.nextGaussian())));
      }
      lines.add(line.append(',').append(i >= rows - hybrids ? "hybrid" : SPECIES[species]).toString());
    }
    Path file = dir.resolve("raw/" + month + ".csv");
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
    return file;
  }

  /** One pipeline of the test under a storage root of its own. */
  private static final class Loop {
    private final Path root;
    private final Path pipeline;
    private final Storage storage;

    Loop(Path root, String sections) throws IOException {
      this.root = root;
      this.storage = Storage.at(root.resolve("lake").toString());
      this.pipeline = root.resolve("iris.conf");
      Files.createDirectories(root);
      Files.writeString(pipeline, """
          pipeline {
            name = iris
            entity-key = [id]
            event-time = measured_at
            source { format = csv, options { timestampFormat = "yyyy-MM-dd HH:mm:ss" } }
            schema = [
              { name = id, type = string }
              { name = measured_at, type = timestamp }
              { name = sepal_length, type = double }
              { name = sepal_width, type = double }
              { name = petal_length, type = double }
              { name = petal_width, type = double }
              { name = species, type = string }
            ]
            model { folds = 2, min-train-rows = 100 }
            evaluate.bootstrap.samples = 20
          %s
          }
          """.formatted(sections));
    }

    void firstChampion(Path month) {
      succeeded("ingest", "--input", month.toString(), "--batch-id", "2024-01");
      succeeded("validate");
      succeeded("features");
      succeeded("train", "--run-id", "r1");
      succeeded("evaluate", "--run", "r1");
    }

    JobRun succeeded(String job, String... more) {
      JobRun run = run(job, more);
      assertEquals(0, run.code(), job + " failed: " + run.err() + run.out());
      return run;
    }

    JobRun run(String job, String... more) {
      List<String> args = new ArrayList<>(List.of(job, "--pipeline", pipeline.toString(),
          "--set", "mlcycle.spark.master=local[2]", "--set", "mlcycle.storage.root=" + root.resolve("lake")));
      args.addAll(List.of(more));
      return JobRun.of(args.toArray(String[]::new));
    }

    List<Row> table(String path) {
      return spark().read().format("delta").load(path).collectAsList();
    }

    /** The champion's realised metrics of a batch, by name. */
    Map<String, Double> realised(String batch) {
      return table(storage.system("performance")).stream()
          .filter(r -> batch.equals(r.getAs("batch_id")) && "champion".equals(r.getAs("role"))
              && r.isNullAt(r.fieldIndex("slice")))
          .collect(Collectors.toMap(r -> r.<String>getAs("metric"), r -> r.<Double>getAs("value"), (a, b) -> a,
              TreeMap::new));
    }

    String lastDecision() {
      return spark().read().format("delta").load(storage.system("decisions")).orderBy("decided_at")
          .collectAsList().stream().reduce((a, b) -> b).map(Row::toString).orElse("no decision");
    }
  }
}
