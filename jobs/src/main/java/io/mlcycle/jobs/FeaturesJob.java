package io.mlcycle.jobs;

import io.mlcycle.features.FeatureSpec;
import io.mlcycle.features.FeatureTableStats;
import io.mlcycle.features.FeatureTableUpdate;
import io.mlcycle.features.FeatureVersions;
import io.mlcycle.features.ReferenceProfile;
import io.mlcycle.io.Storage;
import io.mlcycle.base.Steps;
import io.mlcycle.spark.SparkJobCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** silver/&lt;pipeline&gt; → features/&lt;pipeline&gt;: the new batches, or the whole table under a new feature version. */
@Command(name = "features", description = "Compute the features of new silver batches into features/<pipeline> "
    + "(a changed definition recomputes the table as a new feature version).")
final class FeaturesJob extends JobCommand {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturesJob.class);

  @Option(names = "--describe", description = "Also print the feature table's columns, row count and null shares.")
  boolean describe;

  @Override
  public void run(JobContext context) {
    features(context, describe);
  }

  /** The features stage over this job's runtime and settings. */
  static FeatureTableUpdate update(JobContext context) {
    return new FeatureTableUpdate(context.spark(), context.storage(), context.pipeline().features(), context.runId(),
        context.clock());
  }

  /** Brings the feature table up to date with silver; prints what it did and summarises. */
  static FeatureTableUpdate.Outcome features(JobContext context, boolean describe) {
    FeatureSpec spec = context.pipeline().features();
    Storage storage = context.storage();
    try (SparkJobCounter jobs = SparkJobCounter.start(context.spark())) {
      long start = System.nanoTime();
      FeatureTableUpdate.Outcome outcome = Steps.timed(LOG, "features " + spec.dataset(),
          () -> update(context).run());
      double seconds = (System.nanoTime() - start) / 1e9;
      RunSummary summary = context.summary()
          .input("silver/" + spec.dataset(), outcome.silverVersion())
          .output("features/" + spec.dataset(), outcome.featuresVersion())
          .count("feature_version", outcome.version().version())
          .count("feature_hash", outcome.version().hash())
          .count("rows", outcome.rows())
          .count("batches", outcome.batches().size())
          .count("features_seconds", Math.round(seconds * 100) / 100.0);
      if (outcome.versionsTableVersion() >= 0) {
        summary.output("_mlcycle/" + FeatureVersions.TABLE, outcome.versionsTableVersion())
            .output("_mlcycle/" + ReferenceProfile.TABLE, outcome.referenceVersion());
      }
      context.out().printf("features/%s: %s, feature version %d (hash %s), silver version %d, table version %d%n",
          spec.dataset(), outcome.action().replace('_', ' '), outcome.version().version(),
          outcome.version().hash().substring(0, 12), outcome.silverVersion(), outcome.featuresVersion());
      if (describe) {
        FeatureTableStats.of(context.spark(), storage.features(spec.dataset())).print(context.out());
      }
      summary.count("spark_jobs", jobs.jobs());
      if (outcome.action().equals("up_to_date")) {
        summary.nothingToDo("features/" + spec.dataset() + " already holds every batch of silver version "
            + outcome.silverVersion() + " under feature version " + outcome.version().version());
      } else {
        summary.message(outcome.action() + " features/" + spec.dataset() + ": " + outcome.rows() + " rows of "
            + outcome.batches().size() + " batches, feature version " + outcome.version().version()
            + (outcome.action().equals("appended") ? "" : " (" + outcome.version().reason() + ")"));
      }
      return outcome;
    }
  }
}
