package io.mlcycle.monitoring;

/**
 * What {@link RetrainTriggers} decided, a row of {@code _mlcycle/decisions}.
 *
 * @param triggered whether to retrain now
 * @param decision {@value #RETRAIN}, {@value #KEEP} (no trigger fired) or {@value #COOLDOWN} (one fired within
 *     the cooldown of the last retrain)
 * @param trigger the first trigger that fired (performance, drift, age, volume), or {@value #NO_TRIGGER}
 * @param reason every trigger's finding, in words and figures
 */
public record RetrainDecision(boolean triggered, String decision, String trigger, String reason) {
  public static final String RETRAIN = "retrain";
  public static final String KEEP = "keep";
  public static final String COOLDOWN = "cooldown";
  public static final String NO_TRIGGER = "none";
}
