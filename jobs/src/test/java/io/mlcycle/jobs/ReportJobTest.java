package io.mlcycle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlcycle.features.FlightsFixture;
import io.mlcycle.testing.TestSpark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlcycle report} on two real months of the bundled sample after ingest, validate, features and
 * train: the HTML report with every section, checked in headless Chromium; the notebooks, checked by
 * nbformat and rendered by nbconvert; the Databricks SQL notebook. The tools are Debian's packages, which
 * ./test installs; a missing tool fails the test, saying what to install.
 */
class ReportJobTest {
  private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
  private static final List<String> SECTIONS = List.of("Data quality per batch", "Null shares per column and batch",
      "Feature profile", "Cross-validation", "Holdout metrics", "Feature importances and coefficients",
      "ROC and precision-recall curves", "Confusion matrix", "Calibration", "Slice metrics", "Gates and decision",
      "Registry history", "Drift per feature and batch", "Realised performance by role", "Retrain decisions",
      "Lineage");

  private static final String HOME = "mlcycle.home";

  @TempDir
  static Path dir;
  private static String html;
  private static Path htmlFile;
  private static Path notebooks;
  private static JobRun report;

  /** One pipeline run for the whole class: two months (April has the sample's documented faults). */
  @BeforeAll
  static void pipelineThenReport() throws IOException {
    // As the launcher does: the pipeline's relative paths (data/airports.csv) resolve from the checkout.
    System.setProperty(HOME, Path.of(sample("data/airports.csv")).getParent().getParent().toString());
    TestSpark.session();
    for (String month : List.of("2001-03", "2001-04")) {
      assertEquals(0, run("ingest", "--input", sample("data/flights/raw/" + month + ".csv")).code());
    }
    for (String job : List.of("validate", "features", "train")) {
      JobRun step = run(job);
      assertEquals(0, step.code(), job + ": " + step.err());
    }
    htmlFile = dir.resolve("out/report.html");
    notebooks = dir.resolve("notebooks");
    report = run("report", "--output", htmlFile.toString(), "--notebooks", notebooks.toString());
    assertEquals(0, report.code(), report.err());
    html = Files.readString(htmlFile);
  }

  @AfterAll
  static void forgetHome() {
    System.clearProperty(HOME);
  }

  private static JobRun run(String job, String... more) {
    List<String> args = new ArrayList<>(List.of(job, "--pipeline", FlightsFixture.pipelineFile().toString(),
        "--set", "mlcycle.spark.master=local[2]",
        "--set", "mlcycle.storage.root=" + dir.resolve("lake"),
        "--set", "pipeline.reference-tables.airports.path=" + sample("data/airports.csv")));
    args.addAll(List.of(more));
    return JobRun.of(args.toArray(String[]::new));
  }

  private static String sample(String relative) {
    return Stream.of(Path.of(relative), Path.of("..").resolve(relative)).filter(Files::exists).findFirst()
        .orElseThrow().toAbsolutePath().normalize().toString();
  }

  @Test
  void theReportHasEverySectionAndItsChartsArePngsWithSize() throws IOException {
    for (String section : SECTIONS) {
      assertTrue(html.contains("</h3>") && html.contains(">" + section + "</h3>"), "section " + section);
    }
    assertTrue(html.contains("Rules that did not pass") && html.contains("not-null(delay)"), "April's faults");
    assertTrue(html.contains("Quarantined rows by reason and batch"), "quarantine chart");
    assertTrue(html.contains("reg-param"), "the grid of the cross-validation");
    assertTrue(html.contains("_vec_origin_"), "coefficients are named after their slots");
    assertTrue(html.contains("Not available yet: the ROC and precision-recall curves")
        && html.contains("Run 'mlcycle evaluate'"), "sections without their tables say which job makes them");
    assertTrue(html.contains("Not available yet: drift per feature and batch"), "drift before monitor");
    assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
        "the page needs no network and runs nothing");

    List<byte[]> images = images(html);
    assertTrue(images.size() >= 5, "charts: quarantine, histograms, CV, coefficients, univariate AUC; got "
        + images.size());
    for (byte[] png : images) {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertTrue(image != null && image.getWidth() > 100 && image.getHeight() > 100, "a decodable chart");
    }
    JsonNode summary = report.summary();
    assertEquals(SECTIONS.size(), summary.get("counts").get("sections").asInt());
    assertEquals(8, summary.get("counts").get("notebooks").asInt());
    assertTrue(report.out().contains("Report on run "), report.out());
  }

  @Test
  void chromiumShowsEveryChartWithNonZeroSize() throws Exception {
    String probe = "<script>window.addEventListener('load', () => { const p = document.createElement('pre');"
        + " p.id = 'image-sizes'; p.textContent = Array.from(document.images)"
        + ".map(i => i.naturalWidth + 'x' + i.naturalHeight).join(' '); document.body.appendChild(p); });</script>";
    Path probed = dir.resolve("probed.html");
    Files.writeString(probed, html.replace("</body>", probe + "</body>"));
    Path screenshot = dir.resolve("report.png");
    String chromium = tool("chromium", "chromium");
    Result shot = exec(dir, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--window-size=1200,3000", "--screenshot=" + screenshot, htmlFile.toUri().toString());
    assertEquals(0, shot.code(), shot.output());
    BufferedImage page = ImageIO.read(screenshot.toFile());
    assertEquals(1200, page.getWidth(), "the screenshot is of the page");

    Result dom = exec(dir, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
        "--dump-dom", probed.toUri().toString());
    assertEquals(0, dom.code(), dom.output());
    Matcher sizes = Pattern.compile("<pre id=\"image-sizes\">([^<]*)</pre>").matcher(dom.output());
    assertTrue(sizes.find(), "the probe ran: " + dom.output().substring(0, Math.min(500, dom.output().length())));
    String[] each = sizes.group(1).trim().split(" ");
    assertEquals(images(html).size(), each.length, "every image was laid out");
    for (String size : each) {
      String[] wh = size.split("x");
      assertTrue(Integer.parseInt(wh[0]) > 0 && Integer.parseInt(wh[1]) > 0, "a broken image: " + size);
    }
  }

  @Test
  void everyNotebookValidatesWithNbformatAndRendersWithNbconvert() throws Exception {
    List<Path> ipynbs;
    try (Stream<Path> files = Files.list(notebooks)) {
      ipynbs = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertEquals(7, ipynbs.size(), "one notebook per chapter: " + ipynbs);
    String python = tool("/usr/bin/python3", "python3-nbformat");
    String nbconvert = tool("jupyter-nbconvert", "jupyter-nbconvert");
    Path rendered = Files.createDirectories(dir.resolve("rendered"));
    int pngs = 0;
    for (Path notebook : ipynbs) {
      Result valid = exec(dir, python, "-c", "import sys, nbformat; "
          + "nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", notebook.toString());
      assertEquals(0, valid.code(), notebook + ": " + valid.output());
      assertTrue(valid.output().contains("valid"), valid.output());
      Result html = exec(dir, nbconvert, "--to", "html", "--output-dir", rendered.toString(), notebook.toString());
      assertEquals(0, html.code(), notebook + ": " + html.output());
      String page = Files.readString(rendered.resolve(notebook.getFileName().toString().replace(".ipynb", ".html")));
      pngs += images(page).size();
      JsonNode json = new ObjectMapper().readTree(notebook.toFile());
      assertEquals(4, json.get("nbformat").asInt());
    }
    assertEquals(images(html).size(), pngs, "the notebooks carry the report's charts, rendered");
    String training = Files.readString(rendered.resolve("03-training.html"));
    assertTrue(training.contains("Cross-validation") && training.contains("<table"), "tables render as HTML");
  }

  @Test
  void theDatabricksNotebookQueriesEveryTable() throws IOException {
    String sql = Files.readString(notebooks.resolve("flights-tables.sql"));
    assertTrue(sql.startsWith("-- Databricks notebook source\n"), sql);
    assertTrue(sql.contains("\n-- COMMAND ----------\n"));
    assertTrue(sql.contains("CREATE WIDGET TEXT storage_root DEFAULT '" + dir.resolve("lake") + "'"), sql);
    for (String table : List.of("bronze/flights", "silver/flights", "quarantine/flights", "features/flights",
        "predictions/flights", "_mlcycle/quality", "_mlcycle/profiles", "_mlcycle/feature_versions",
        "_mlcycle/feature_reference", "_mlcycle/runs", "_mlcycle/params", "_mlcycle/metrics", "_mlcycle/lineage",
        "_mlcycle/gates", "_mlcycle/models", "_mlcycle/model_aliases", "_mlcycle/drift", "_mlcycle/performance",
        "_mlcycle/decisions")) {
      assertTrue(sql.contains("delta.`${storage_root}/" + table + "`"), table);
    }
  }

  @Test
  void anUnknownRunIsAUsageErrorNamingTheRuns() {
    JobRun unknown = run("report", "--run", "no-such-run", "--output", dir.resolve("x.html").toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("'no-such-run'") && unknown.err().contains("--run"), unknown.err());
  }

  private static List<byte[]> images(String page) {
    List<byte[]> images = new ArrayList<>();
    Matcher m = DATA_URI.matcher(page);
    while (m.find()) {
      images.add(Base64.getDecoder().decode(m.group(1)));
    }
    return images;
  }

  /** A tool by absolute path or on the PATH; its absence fails the test, naming the Debian package. */
  private static String tool(String name, String debianPackage) {
    if (name.startsWith("/")) {
      assertTrue(Files.isExecutable(Path.of(name)), name + " is missing: apt-get install " + debianPackage);
      return name;
    }
    for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(folder, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(name + " is not on the PATH: apt-get install " + debianPackage + " (./test does)");
  }

  private record Result(int code, String output) {}

  /** Runs a tool to the end, its stdout and stderr in files (no pipe to fill up), within three minutes. */
  private static Result exec(Path workDir, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("did not finish in 180 s: " + String.join(" ", command));
    }
    return new Result(process.exitValue(), Files.readString(out) + "\n" + Files.readString(err));
  }
}
