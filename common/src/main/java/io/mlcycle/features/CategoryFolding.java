package io.mlcycle.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The categories kept per categorical feature, frozen from the training window of a feature version;
 * every other value (rare in training, unseen at scoring, or null) becomes {@code other}. Stored with
 * the feature version, so training and scoring fold alike.
 *
 * @param kept per feature, the categories kept, most frequent first
 * @param other the value everything else becomes
 */
public record CategoryFolding(Map<String, List<String>> kept, String other) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public CategoryFolding {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    kept.forEach((feature, values) -> copy.put(feature, List.copyOf(values)));
    kept = java.util.Collections.unmodifiableMap(copy);
  }

  /** No folding: the raw categories, before a feature version has frozen its own. */
  public static CategoryFolding none(String other) {
    return new CategoryFolding(Map.of(), other);
  }

  /** Keeps, per feature, the categories of at least {@code minShare} of the rows, at most {@code maxCount}. */
  public static CategoryFolding fit(CategoryCounts counts, FeatureSpec.Categories settings) {
    Map<String, List<String>> kept = new LinkedHashMap<>();
    counts.counts().forEach((feature, values) -> {
      List<String> chosen = new ArrayList<>();
      values.entrySet().stream()
          .filter(e -> counts.rows() > 0 && (double) e.getValue() / counts.rows() >= settings.minShare())
          .sorted(mostFrequentFirst())
          .limit(settings.maxCount())
          .forEach(e -> chosen.add(e.getKey()));
      kept.put(feature, chosen);
    });
    return new CategoryFolding(kept, settings.other());
  }

  static Comparator<Map.Entry<String, Long>> mostFrequentFirst() {
    return Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());
  }

  /** The rows with each folded feature replaced by its kept category or {@code other}. */
  public Dataset<Row> apply(Dataset<Row> features) {
    Dataset<Row> folded = features;
    for (Map.Entry<String, List<String>> feature : kept.entrySet()) {
      Column value = functions.col(feature.getKey());
      folded = folded.withColumn(feature.getKey(),
          functions.when(value.isin(feature.getValue().toArray()), value).otherwise(functions.lit(other)));
    }
    return folded;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(kept);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write categories as JSON", e);
    }
  }

  public static CategoryFolding fromJson(String json, String other) {
    try {
      return new CategoryFolding(JSON.readValue(json, new TypeReference<LinkedHashMap<String, List<String>>>() {}), other);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read stored categories " + json, e);
    }
  }
}
