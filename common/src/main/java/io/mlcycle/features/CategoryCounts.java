package io.mlcycle.features;

import java.util.Map;

/**
 * How often each category of each categorical feature occurs (counted with the training window's facts
 * in one aggregation). Freezes the kept categories and gives the categorical reference histograms.
 *
 * @param rows the number of rows counted
 * @param counts per feature, the count of each non-null category
 */
public record CategoryCounts(long rows, Map<String, Map<String, Long>> counts) {}
