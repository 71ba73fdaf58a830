package io.mlcycle.quality;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import io.mlcycle.config.ConfigElement;
import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.io.ColumnNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Missing values and outliers of one column, handled before the rules run ({@code pipeline.quality.handling}):
 * keep, drop (the row goes to quarantine as {@code missing(c)} or {@code outlier(c)}), impute (a constant,
 * or the batch's mean or median, computed in one aggregation for all columns) or clip to [min, max].
 */
public record ValueHandling(DeclaredColumn column, String missing, Optional<String> impute, String outliers,
                            Optional<Double> min, Optional<Double> max) {
  private static final String KEY = "pipeline.quality.handling";

  public static List<ValueHandling> from(Config config, DatasetSpec spec) {
    List<ValueHandling> handling = new ArrayList<>();
    for (ConfigElement element : ConfigElement.list(config, KEY)) {
      element.checkKeys(Set.of("column", "missing", "impute", "outliers", "min", "max"));
      String name = element.string("column");
      DeclaredColumn column = spec.column(name).orElseThrow(() -> element.invalid("column",
          "column '" + name + "' is not declared in pipeline.schema; the columns are " + spec.columnNames()));
      String missing = oneOf(element, "missing", Set.of("keep", "drop", "impute"));
      String outliers = oneOf(element, "outliers", Set.of("keep", "drop", "clip"));
      Optional<String> impute = element.optionalString("impute");
      if (missing.equals("impute") && impute.isEmpty()) {
        throw element.invalid("impute", "missing = impute needs impute = mean, median or a constant");
      }
      if (impute.filter(i -> i.equals("mean") || i.equals("median")).isPresent() && !column.isNumeric()) {
        throw element.invalid("impute", "mean and median need a numeric column; '" + name + "' is "
            + column.type().simpleString());
      }
      Optional<Double> min = element.optionalNumber("min");
      Optional<Double> max = element.optionalNumber("max");
      if (!outliers.equals("keep") && min.isEmpty() && max.isEmpty()) {
        throw element.invalid("outliers", "outliers = " + outliers + " needs min, max or both");
      }
      handling.add(new ValueHandling(column, missing, impute, outliers, min, max));
    }
    return handling;
  }

  private static String oneOf(ConfigElement element, String key, Set<String> allowed) {
    String value = element.optionalString(key).orElse("keep");
    if (!allowed.contains(value)) {
      throw element.invalid(key, "'" + value + "' is not one of " + allowed.stream().sorted().toList());
    }
    return value;
  }

  /** Whether this handling needs the batch's mean or median first. */
  boolean needsStatistic() {
    return missing.equals("impute") && impute.filter(i -> i.equals("mean") || i.equals("median")).isPresent();
  }

  Column statistic() {
    Column value = ColumnNames.column(column.name()).cast("double");
    return impute.orElseThrow().equals("mean") ? avg(value) : percentile_approx(value, lit(0.5), lit(10000));
  }

  /** The column's new value: imputed when missing, clipped when out of range. */
  Column value(Optional<Object> statistic) {
    Column value = ColumnNames.column(column.name());
    if (missing.equals("impute")) {
      Object fill = statistic.orElseGet(impute::orElseThrow);
      value = coalesce(value, lit(fill).cast(column.type()));
    }
    if (outliers.equals("clip")) {
      Column clipped = value;
      if (min.isPresent()) {
        clipped = greatest(clipped, lit(min.get()).cast(column.type()));
      }
      if (max.isPresent()) {
        clipped = least(clipped, lit(max.get()).cast(column.type()));
      }
      value = when(value.isNull(), value).otherwise(clipped);
    }
    return value.cast(column.type()).as(column.name());
  }

  /** A reason when the row is dropped by this handling, else null. */
  Column dropReason() {
    Column value = ColumnNames.column(column.name());
    Column reason = lit(null).cast("string");
    if (outliers.equals("drop")) {
      Column out = min.map(m -> value.lt(lit(m))).orElse(lit(false)).or(max.map(m -> value.gt(lit(m))).orElse(lit(false)));
      reason = when(value.isNotNull().and(out), lit("outlier(" + column.name() + ")")).otherwise(reason);
    }
    if (missing.equals("drop")) {
      reason = when(value.isNull(), lit("missing(" + column.name() + ")")).otherwise(reason);
    }
    return reason;
  }

  /**
   * Applies all handlings to a batch: one aggregation when a mean or median is needed, none otherwise.
   * Returns the batch with handled values plus {@code reasonsColumn}, the array of drop reasons, which is
   * computed from the values before imputation and clipping.
   */
  public static Dataset<Row> apply(Dataset<Row> batch, List<ValueHandling> handlings, String reasonsColumn) {
    List<ValueHandling> needing = handlings.stream().filter(ValueHandling::needsStatistic).toList();
    Row statistics = needing.isEmpty() ? null
        : batch.agg(needing.get(0).statistic(), needing.stream().skip(1).map(ValueHandling::statistic)
            .toArray(Column[]::new)).first();
    Dataset<Row> result = batch.withColumn(reasonsColumn, QuarantineReasons.compact(
        handlings.stream().map(ValueHandling::dropReason).toList()));
    for (ValueHandling handling : handlings) {
      int index = needing.indexOf(handling);
      Optional<Object> statistic = index < 0 ? Optional.empty() : Optional.ofNullable(statistics.get(index));
      result = result.withColumn(handling.column().name(), handling.value(statistic));
    }
    return result;
  }
}
