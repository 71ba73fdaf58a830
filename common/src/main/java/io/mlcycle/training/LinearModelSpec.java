package io.mlcycle.training;

/**
 * One logistic-regression model to fit in a shared pass: trained on every fold but {@code heldOutFold}
 * (-1: on all rows), with L2 penalty {@code regParam} on standardised coefficients, as MLlib's
 * {@code LogisticRegression} with {@code standardization=true, elasticNetParam=0}.
 */
public record LinearModelSpec(int heldOutFold, double regParam) implements java.io.Serializable {
  public static final int NO_FOLD = -1;
}
