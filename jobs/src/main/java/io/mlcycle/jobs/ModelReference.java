package io.mlcycle.jobs;

import io.mlcycle.base.Errors;

/** A model version as the command line names it: {@code NAME:VERSION}, or {@code VERSION} of the pipeline's model. */
record ModelReference(String name, int version) {

  static ModelReference parse(String text, String option, String defaultName) {
    int colon = text.indexOf(':');
    String name = colon >= 0 ? text.substring(0, colon).strip() : defaultName;
    String number = colon >= 0 ? text.substring(colon + 1) : text;
    try {
      return new ModelReference(name, Integer.parseInt(number.strip()));
    } catch (NumberFormatException e) {
      throw Errors.usage("Cannot read " + option + " " + text + ": the version is not a number. Write NAME:VERSION,"
          + " e.g. flights:2.");
    }
  }

  @Override
  public String toString() {
    return name + ":" + version;
  }
}
