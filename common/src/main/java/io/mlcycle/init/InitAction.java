package io.mlcycle.init;

import io.mlcycle.base.Errors;
import io.mlcycle.base.MlcycleException;
import io.mlcycle.base.StageRuntime;
import io.mlcycle.config.ConfigLoader;
import io.mlcycle.config.ConfigRequest;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.dataset.SourceFormat;
import io.mlcycle.features.CategoryFolding;
import io.mlcycle.features.FeaturePipeline;
import io.mlcycle.features.FeatureSpec;
import io.mlcycle.metrics.Task;
import io.mlcycle.pipeline.PipelineSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The init stage: a raw file → a starter pipeline file. It samples the file, infers its schema, profiles the
 * sample in one aggregation, chooses key, event time, quality rules, features and the task with their evidence
 * ({@link StarterPipeline}), writes them as HOCON ({@link StarterFile}), and loads the file back exactly as every
 * job loads its pipeline (config loading, every section's settings, the rules and the feature expressions
 * analysed against the declared schema) before it takes the file's place: a file init wrote always loads.
 */
public final class InitAction {
  private static final Logger LOG = LoggerFactory.getLogger(InitAction.class);

  private final StageRuntime runtime;

  public InitAction(StageRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * What to start a pipeline from.
   *
   * @param input a raw file (or a folder or glob of them), local or on any Hadoop file system
   * @param format the input's format; empty = told by the file's extension
   * @param label the label column; empty = a column named label, target, class, y or outcome
   * @param name the pipeline's name; empty = the input's file name without extension
   * @param output the file to write; empty = {@code <pipelines>/<name>.conf}
   * @param pipelines the folder the jobs look up a pipeline by name in
   * @param config the configuration the written file is loaded back with (its environment file)
   */
  public record Request(String input, Optional<SourceFormat> format, Optional<String> label, Optional<String> name,
                        Optional<Path> output, Path pipelines, boolean force, int sampleRows, ConfigRequest config) {}

  /**
   * What init inferred and wrote.
   *
   * @param pipeline how the jobs name the written pipeline: its name when found by name, else the file
   * @param rows the rows profiled; {@code wholeInput} when they are all the input has
   */
  public record Result(Path file, String pipeline, SourceFormat format, long rows, boolean wholeInput,
                       List<String> entityKey, String entityKeyEvidence, Optional<String> eventTime,
                       String label, Task task, String taskEvidence, List<String> features, List<String> leftOut,
                       int rules) {
    public Result {
      entityKey = List.copyOf(entityKey);
      features = List.copyOf(features);
      leftOut = List.copyOf(leftOut);
    }
  }

  public Result execute(Request request) {
    String name = request.name().orElseGet(() -> nameOf(request.input()));
    if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
      throw Errors.usage("Cannot name a pipeline '" + name + "': the name names folders and tables. Pass --name with "
          + "letters, digits, '_', '-' and '.'.");
    }
    Path output = request.output().orElse(request.pipelines().resolve(name + ".conf"));
    if (Files.exists(output) && !request.force()) {
      throw Errors.usage("Cannot write " + output + ": it exists. Pass --force to overwrite it, or --name NAME for "
          + "another pipeline.");
    }
    requireLocalInput(request.input());
    long start = System.nanoTime();
    SparkSession spark = runtime.spark();
    InputFiles files = InputFiles.resolve(request.input(), spark.sparkContext().hadoopConfiguration());
    RawSample sample = RawSample.read(spark, files, request.format(), request.sampleRows());
    List<ColumnProfile> profile = SampleProfiler.profile(sample.rows());
    LOG.info("init: profiled {} columns of {} rows of {} in {} s", profile.size(), profile.get(0).rows(),
        request.input(), String.format("%.1f", (System.nanoTime() - start) / 1e9));
    StarterPipeline starter = StarterPipeline.infer(name, sample, profile, request.label());
    String text = StarterFile.render(starter, request.input(), runtime.clock().instant());
    write(output, text, request.config(), starter, spark);
    boolean byName = request.output().isEmpty() && output.getParent().toAbsolutePath().normalize()
        .equals(request.pipelines().toAbsolutePath().normalize());
    return new Result(output, byName ? name : output.toString(), sample.format(), starter.rows, starter.wholeInput(),
        starter.key.columns(), starter.key.evidence(), starter.eventTime.columns().stream().findFirst(),
        starter.label.name(), starter.taskKind(), starter.task.evidence(),
        starter.features.stream().map(StarterPipeline.Feature::name).toList(), starter.leftOut, starter.rules.size());
  }

  /** A local input that does not exist fails here, before any Spark work. */
  private static void requireLocalInput(String input) {
    boolean uri = input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    boolean glob = input.matches(".*[*?\\[{].*");
    if (!uri && !glob && !Files.exists(Path.of(input)) && !inHome(input)) {
      throw Errors.missingInput("input", input);
    }
  }

  private static boolean inHome(String input) {
    String home = System.getProperty("mlcycle.home");
    return home != null && !Path.of(input).isAbsolute() && Files.exists(Path.of(home).resolve(input));
  }

  /** The file's name without its extensions, as a pipeline name: data/Sales 2024.csv → Sales_2024. */
  static String nameOf(String input) {
    String file = input.replaceAll("[/\\\\]+$", "");
    file = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
    int dot = file.indexOf('.');
    String base = (dot > 0 ? file.substring(0, dot) : file).replaceAll("[^A-Za-z0-9_.-]+", "_");
    return base.isEmpty() || base.startsWith("-") || base.startsWith(".") ? "pipeline" + base : base;
  }

  /** Writes the text beside the output, loads it as the jobs will, and only then moves it into place. */
  private static void write(Path output, String text, ConfigRequest config, StarterPipeline starter,
                            SparkSession spark) {
    Path folder = output.toAbsolutePath().getParent();
    Path draft = folder.resolve("." + output.getFileName() + ".init.conf");
    try {
      Files.createDirectories(folder);
      Files.writeString(draft, text);
      try {
        validate(draft, config, spark);
      } catch (MlcycleException e) {
        LOG.error("init: the pipeline written for {} does not load:\n{}", starter.sample.input().input(), text);
        throw new IllegalStateException("Cannot load the pipeline init wrote for " + starter.sample.input().input()
            + " (a bug of init; nothing was written, the text is in the log): " + e.getMessage(), e);
      }
      Files.move(draft, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + output, e);
    } finally {
      try {
        Files.deleteIfExists(draft);
      } catch (IOException e) {
        LOG.warn("init: could not remove the draft {}: {}", draft, e.toString());
      }
    }
  }

  /** Every section the jobs read, parsed and checked; the rules and the feature expressions analysed by Spark. */
  private static void validate(Path file, ConfigRequest config, SparkSession spark) {
    PipelineSettings pipeline = PipelineSettings.of(ConfigLoader.load(
        new ConfigRequest(config.configFile(), Optional.of(file.toString()), List.of()))).orElseThrow();
    pipeline.quality().rules().resolve(spark);
    FeatureSpec features = pipeline.features();
    pipeline.training();
    pipeline.evaluation();
    pipeline.scoring();
    pipeline.monitoring();
    FeaturePipeline.create(spark, features, pipeline.dataset().sparkSchema(), "the declared schema",
        CategoryFolding.none(features.categories().other()));
  }
}
