package io.mlcycle.quality;

import com.typesafe.config.Config;
import io.mlcycle.base.Errors;
import io.mlcycle.dataset.SchemaDrift;
import java.util.Arrays;

/** What to do when a batch's columns drift ({@code pipeline.quality.schema-drift}). */
public enum SchemaDriftPolicy {
  /** Any drift fails the batch (exit 3) naming the columns. */
  FAIL("fail"),
  /** New columns are added to the tables; missing columns are filled with nulls; retyped still fail. */
  EVOLVE("evolve"),
  /** Extra columns are dropped; missing or retyped columns still fail. */
  IGNORE_EXTRA("ignore-extra");

  private static final String KEY = "pipeline.quality.schema-drift";
  private final String configName;

  SchemaDriftPolicy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static SchemaDriftPolicy from(Config config) {
    String value = config.getString(KEY);
    return Arrays.stream(values()).filter(p -> p.configName.equals(value.strip())).findFirst()
        .orElseThrow(() -> Errors.badConfigValue(KEY, config.getValue(KEY).origin().description(),
            "'" + value + "' is not a policy; use fail, evolve or ignore-extra"));
  }

  /** Whether this policy lets the batch through; the caller then keeps or drops the added columns. */
  public boolean accepts(SchemaDrift drift) {
    return switch (this) {
      case FAIL -> drift.none();
      case EVOLVE -> drift.retyped().isEmpty();
      case IGNORE_EXTRA -> drift.missing().isEmpty() && drift.retyped().isEmpty();
    };
  }

  /**
   * The drift as a report row: passed when there is none; "warned" when the policy accepted it (the
   * tables evolved or extra columns were dropped), so the history shows when each change arrived.
   */
  public static RuleOutcome outcome(SchemaDrift drift, SchemaDriftPolicy policy) {
    return new RuleOutcome("schema-drift", "schema-drift", Severity.WARN, 0, null, drift.none(),
        drift.describe() + " (policy " + policy.configName() + ")");
  }

  /** The exit-3 error for a drift this policy does not accept. */
  public RuntimeException reject(String what, SchemaDrift drift) {
    return Errors.dataQuality("Cannot " + what + ": its columns drifted from the expected schema ("
        + drift.describe() + ") and " + KEY + " is '" + configName + "'. Fix the input, update pipeline.schema, "
        + "or set " + KEY + " to evolve (add new columns) or ignore-extra (drop them). Nothing was written.");
  }
}
