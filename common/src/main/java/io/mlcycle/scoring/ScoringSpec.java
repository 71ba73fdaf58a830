package io.mlcycle.scoring;

import com.typesafe.config.Config;
import io.mlcycle.config.ConfigElement;
import java.util.List;

/**
 * The {@code pipeline.scoring} section: how the challenger shares a batch with the champion.
 *
 * @param mode {@code canary} (a stable share of entities goes to the challenger), {@code shadow} (both
 *     score every row; the champion's predictions are the ones served) or {@code champion} (champion only)
 * @param canaryBy the columns whose hash picks the arm; the entity key when empty
 * @param smokeRows rows of the latest batch a promotion's smoke test scores
 */
public record ScoringSpec(String mode, double canaryFraction, List<String> canaryBy, int smokeRows)
    implements java.io.Serializable {
  public static final String CANARY = "canary";
  public static final String SHADOW = "shadow";
  public static final String CHAMPION_ONLY = "champion";

  public static ScoringSpec from(Config config) {
    ConfigElement section = new ConfigElement("pipeline.scoring", config.getConfig("pipeline.scoring"),
        "pipeline.scoring");
    String mode = section.string("mode");
    if (!List.of(CANARY, SHADOW, CHAMPION_ONLY).contains(mode)) {
      throw section.invalid("mode", "'" + mode + "' is not canary, shadow or champion");
    }
    double fraction = section.number("canary-fraction");
    if (fraction < 0 || fraction > 1) {
      throw section.invalid("canary-fraction", "a share of entities is between 0 and 1");
    }
    List<String> by = section.strings("canary-by");
    List<String> canaryBy = by.isEmpty() ? io.mlcycle.dataset.DatasetSpec.rowKey(config) : List.copyOf(by);
    int smokeRows = (int) section.number("smoke-rows");
    if (smokeRows < 1) {
      throw section.invalid("smoke-rows", "the smoke test needs at least one row");
    }
    return new ScoringSpec(mode, fraction, canaryBy, smokeRows);
  }
}
