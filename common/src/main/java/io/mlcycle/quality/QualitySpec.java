package io.mlcycle.quality;

import com.typesafe.config.Config;
import io.mlcycle.dataset.DatasetSpec;
import java.util.List;

/**
 * {@code pipeline.quality} and {@code pipeline.pii}: what validate does to a bronze batch, parsed and
 * checked before Spark starts.
 */
public record QualitySpec(RuleSet.Definition rules, List<ValueHandling> handling, SchemaDriftPolicy schemaDrift,
                          PiiProtection.Mode pii) {
  public QualitySpec {
    handling = List.copyOf(handling);
  }

  public static QualitySpec from(Config config, DatasetSpec dataset) {
    return new QualitySpec(RuleSet.parse(config, dataset), ValueHandling.from(config, dataset),
        SchemaDriftPolicy.from(config), PiiProtection.Mode.from(config));
  }
}
