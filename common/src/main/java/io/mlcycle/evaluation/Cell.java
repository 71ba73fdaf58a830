package io.mlcycle.evaluation;

/**
 * One cell of an evaluation: the holdout rows of one scope (everything, or one slice) that share the
 * candidate's key {@code a}, the champion's key {@code b} and the label {@code y}, with their count and
 * sums. What the keys and sums are depends on the task (see {@link EvaluationCells}); every metric and
 * every bootstrap replicate is computed from cells alone, so the data is read once.
 */
public record Cell(String scope, int a, int b, int y, long n, double[] sums) implements java.io.Serializable {}
