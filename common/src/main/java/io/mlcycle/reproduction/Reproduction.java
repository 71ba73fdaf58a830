package io.mlcycle.reproduction;

import java.util.List;

/**
 * The verdict of one reproduction: a registered model version (or a training run) rebuilt from its lineage
 * and compared with what it recorded, item by item.
 *
 * @param version the registry version, or 0 for a training run that registered none
 * @param featureRows where the rebuild read its rows: the feature table at its recorded version, or the
 *     rows computed again from silver when that version's files were vacuumed
 * @param warnings what differs but does not fail the reproduction (e.g. another mlcycle version)
 */
public record Reproduction(String model, int version, String runId, Verdict verdict, List<Item> items,
                           String featureRows, List<String> warnings) {

  /** The worst of the items' verdicts. */
  public enum Verdict {
    IDENTICAL, WITHIN_TOLERANCE, DIFFERENT;

    public String word() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  /**
   * One compared item: its verdict, how many values it covers, the largest relative difference among them,
   * and a few words on what differs.
   */
  public record Item(String name, Verdict verdict, int values, double largestDifference, String detail) {}

  /** The names of the items that are not identical. */
  public List<String> differing() {
    return items.stream().filter(i -> i.verdict() != Verdict.IDENTICAL).map(Item::name).toList();
  }
}
