package io.mlcycle.report;

/** The parts of a report, in lifecycle order; each becomes one exported notebook. */
public enum Chapter {
  DATA_QUALITY("data-quality", "Data quality"),
  FEATURES("features", "Features"),
  TRAINING("training", "Training"),
  EVALUATION("evaluation", "Evaluation"),
  REGISTRY("registry", "Registry"),
  MONITORING("monitoring", "Monitoring"),
  LINEAGE("lineage", "Lineage");

  private final String slug;
  private final String title;

  Chapter(String slug, String title) {
    this.slug = slug;
    this.title = title;
  }

  /** The chapter's name in file names and anchors. */
  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }
}
