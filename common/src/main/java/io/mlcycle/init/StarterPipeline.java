package io.mlcycle.init;

import static io.mlcycle.init.StarterText.count;
import static io.mlcycle.init.StarterText.number;
import static io.mlcycle.init.StarterText.quote;
import static io.mlcycle.init.StarterText.quotedList;

import io.mlcycle.base.Errors;
import io.mlcycle.base.EditDistance;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.metrics.Task;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The choices of a starter pipeline, each made from a sample's profile and kept with its evidence: entity key,
 * event time, label and task, features, and the quality rules Deequ's constraint suggestion would make (complete
 * where no value is missing, a null-fraction bound where some are, a widened observed range for numbers, the
 * values of a low-cardinality column, uniqueness of the key). {@link StarterFile} writes them as HOCON.
 */
final class StarterPipeline {
  /** A string column with at most this many values (and at most a tenth of its rows) gets an allowed-values rule. */
  static final int MAX_CATEGORIES = 20;
  /** A string column with at most this many values (and values repeated) is a categorical feature. */
  static final int MAX_CATEGORICAL = 50;
  private static final Pattern ID_WORD = Pattern.compile("(?i)(.*[ _.\\-])?(id|key|uuid|guid|identifier)");
  private static final Pattern ID_CAMEL = Pattern.compile(".*[a-z](Id|ID|Key|Uuid)");
  private static final Pattern TIME_WORD = Pattern.compile("(?i).*(time|date|day|_at|created|updated).*");
  private static final Pattern LABEL_WORD = Pattern.compile("(?i)label|target|class|y|outcome");

  /** One choice and why. */
  record Choice(List<String> columns, String evidence) {
    Choice {
      columns = List.copyOf(columns);
    }
  }

  /** One feature definition, with why it was chosen. */
  record Feature(String name, String expr, boolean categorical, String evidence) {}

  /** One quality rule as a HOCON object, with its evidence. */
  record Rule(String hocon, String evidence) {}

  final String name;
  final RawSample sample;
  final List<ColumnProfile> columns;
  final ColumnProfile label;
  final String labelColumn;
  final LabelTask task;
  final Choice key;
  final Choice eventTime;
  final List<Feature> features = new ArrayList<>();
  final List<String> leftOut = new ArrayList<>();
  final List<Rule> rules = new ArrayList<>();
  final long rows;

  private StarterPipeline(String name, RawSample sample, List<ColumnProfile> columns, ColumnProfile label) {
    this.name = name;
    this.sample = sample;
    this.columns = List.copyOf(columns);
    this.label = label;
    this.rows = columns.get(0).rows();
    this.task = LabelTask.infer(label);
    this.key = key();
    this.eventTime = eventTime();
    features();
    this.labelColumn = labelColumn();
    rules();
  }

  /** The starter pipeline of a sample's profile; {@code label} names the label column, else a column named like one. */
  static StarterPipeline infer(String name, RawSample sample, List<ColumnProfile> columns, Optional<String> label) {
    checkNames(columns);
    if (columns.get(0).rows() == 0) {
      throw Errors.usage("Cannot start a pipeline from " + sample.input().input() + ": it holds no rows.");
    }
    return new StarterPipeline(name, sample, columns, labelOf(columns, label));
  }

  /** "in 10,000 sampled rows", or "in the file's 800 rows" when the sample is the whole input. */
  String sampled() {
    return rows < sample.limit() ? "in all " + count(rows) + " rows of the input" : "in " + count(rows)
        + " sampled rows";
  }

  boolean wholeInput() {
    return rows < sample.limit();
  }

  private static void checkNames(List<ColumnProfile> columns) {
    for (ColumnProfile column : columns) {
      if (column.name().startsWith("_")) {
        throw Errors.usage("Cannot declare column '" + column.name() + "': names starting with '_' are mlcycle's "
            + "own. Rename the column in the data (e.g. '" + column.name().replaceFirst("^_+", "") + "') first.");
      }
    }
  }

  private static ColumnProfile labelOf(List<ColumnProfile> columns, Optional<String> given) {
    List<String> names = columns.stream().map(ColumnProfile::name).toList();
    if (given.isEmpty()) {
      return columns.stream().filter(c -> LABEL_WORD.matcher(c.name()).matches()).findFirst()
          .orElseThrow(() -> Errors.usage("Cannot tell which column is the label: none is named label, target, "
              + "class, y or outcome. Pass --label COLUMN, one of " + names + "."));
    }
    String wanted = given.get();
    return columns.stream().filter(c -> c.name().equals(wanted)).findFirst()
        .or(() -> columns.stream().filter(c -> c.name().equalsIgnoreCase(wanted)).findFirst())
        .orElseThrow(() -> {
          String nearest = names.stream().min(Comparator.comparingInt(n -> EditDistance.between(
              wanted.toLowerCase(Locale.ROOT), n.toLowerCase(Locale.ROOT)))).orElseThrow();
          boolean close = EditDistance.between(wanted.toLowerCase(Locale.ROOT), nearest.toLowerCase(Locale.ROOT))
              <= Math.max(2, wanted.length() / 3);
          return Errors.usage("Cannot use label column '" + wanted + "': the input has no such column."
              + (close ? " Did you mean '" + nearest + "'?" : "") + " The columns are " + names + ".");
        });
  }

  private Choice key() {
    List<ColumnProfile> candidates = columns.stream().filter(c -> c != label && c.exactDistinct().isPresent()).toList();
    Optional<ColumnProfile> named = candidates.stream().filter(c -> c.unique() && idLike(c.name())).findFirst();
    if (named.isPresent()) {
      return new Choice(List.of(named.get().name()), "named like an identifier, no nulls and a different value in "
          + "every row (" + count(rows) + " distinct " + sampled() + ")");
    }
    Optional<ColumnProfile> unique = candidates.stream().filter(ColumnProfile::unique).findFirst();
    if (unique.isPresent()) {
      return new Choice(List.of(unique.get().name()), "no column is named like an id; this is the first with no nulls "
          + "and a different value in every row (" + count(rows) + " distinct " + sampled() + "). Check that it "
          + "identifies a row");
    }
    return new Choice(List.of(), "no column is unique and complete " + sampled() + ": with no entity key, "
        + "validate adds _row_id, a hash of the batch id and the row's declared columns, and every stage keys on "
        + "it (identical rows of a batch are then duplicates). Name the columns that identify a row if there are");
  }

  private static boolean idLike(String name) {
    return ID_WORD.matcher(name).matches() || ID_CAMEL.matcher(name).matches();
  }

  private Choice eventTime() {
    Optional<ColumnProfile> time = columns.stream().filter(c -> c != label && c.isTime() && c.nonNull() > 0)
        .max(Comparator.comparingLong(ColumnProfile::nonNull)
            .thenComparing(c -> TIME_WORD.matcher(c.name()).matches())
            .thenComparing(c -> -columns.indexOf(c)));
    if (time.isEmpty()) {
      return new Choice(List.of(), "no timestamp or date column " + sampled() + ": no event time, so no time "
          + "features, a hash split, and batches taken in the order of their ids");
    }
    ColumnProfile chosen = time.get();
    ColumnProfile.Times span = chosen.times().orElseThrow();
    return new Choice(List.of(chosen.name()), StarterText.article(chosen.type().simpleString()) + ", "
        + StarterText.nulls(chosen)
        + ", from " + span.first() + " to " + span.last() + " (" + count(span.days()) + " days)");
  }

  private void features() {
    Set<String> taken = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    taken.addAll(key.columns());
    taken.addAll(eventTime.columns());
    taken.addAll(List.of("label", "target"));
    for (ColumnProfile column : columns) {
      if (column == label || key.columns().contains(column.name()) || eventTime.columns().contains(column.name())) {
        continue;
      }
      Optional<String> unfit = unfit(column);
      if (unfit.isPresent()) {
        leftOut.add(column.name() + ": " + unfit.get());
        continue;
      }
      String expr = ColumnNames.quoted(column.name());
      String feature = featureName(column.name(), taken);
      if (column.isString()) {
        features.add(new Feature(feature, expr, true, "Text with " + count(column.distinctValues()) + " values ("
            + StarterText.shares(column) + "), " + StarterText.nulls(column)));
      } else if (column.isBoolean()) {
        features.add(new Feature(feature, "cast(" + expr + " as double)", false, "A boolean ("
            + StarterText.shares(column)
            + "), " + StarterText.nulls(column)));
      } else {
        features.add(new Feature(feature, column.isFloating() || column.isIntegral() ? expr : "cast(" + expr
            + " as double)", false, StarterText.article(column.type().simpleString()) + ", "
            + StarterText.numbers(column) + ", "
            + StarterText.nulls(column) + (column.nulls() > 0 ? " (training reads a null as 0)" : "")));
      }
    }
    eventTime.columns().forEach(time -> timeParts(columns.stream().filter(c -> c.name().equals(time)).findFirst()
        .orElseThrow(), taken));
    if (features.isEmpty()) {
      throw Errors.usage("Cannot propose any feature for " + sample.input().input() + ": " + String.join("; ", leftOut)
          + ". Give the data a numeric or low-cardinality column besides the label, key and event time.");
    }
  }

  private Optional<String> unfit(ColumnProfile column) {
    if (!column.isAtomic()) {
      return Optional.of(StarterText.article(column.type().simpleString())
          + ", not a feature type; select fields of it by hand");
    }
    if (column.nonNull() == 0) {
      return Optional.of("no values " + sampled());
    }
    if (column.distinctValues() == 1) {
      return Optional.of("one value " + sampled() + " (" + column.top().stream().findFirst()
          .map(ColumnProfile.ValueCount::value).orElse("constant") + "): it carries no information");
    }
    if (column.isTime()) {
      return Optional.of("a second time column; derive a feature from it by hand, e.g. a datediff to the event time");
    }
    if (column.isString()
        && (column.distinctValues() > MAX_CATEGORICAL || 2 * column.distinctValues() > column.nonNull())) {
      return Optional.of("text with " + count(column.distinctValues()) + " distinct values in "
          + count(column.nonNull())
          + " rows: an identifier or free text, not a category");
    }
    if (column.unique() && idLike(column.name())) {
      return Optional.of("an identifier (a different value in every row)");
    }
    return Optional.empty();
  }

  private void timeParts(ColumnProfile time, Set<String> taken) {
    ColumnProfile.Times span = time.times().orElseThrow();
    String expr = ColumnNames.quoted(time.name());
    if (time.type().equals(org.apache.spark.sql.types.DataTypes.TimestampType) && span.hours() > 1) {
      features.add(new Feature(featureName(time.name() + "_hour", taken), "hour(" + expr + ")", true,
          "Time part: the hour of the event time (" + span.hours() + " distinct hours " + sampled() + ")"));
    }
    if (span.daysOfWeek() > 1) {
      features.add(new Feature(featureName(time.name() + "_day_of_week", taken), "dayofweek(" + expr + ")", true,
          "Time part: the day of the week (" + span.daysOfWeek() + " distinct " + sampled() + ")"));
    }
    leftOut.add(time.name() + ": no month or year part, since the sample spans " + count(span.days()) + " days: a "
        + "calendar part that training sees only some values of drifts by construction");
  }

  /** A feature's name: letters, digits and underscores, starting with a letter, distinct ignoring case. */
  private static String featureName(String column, Set<String> taken) {
    String base = column.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "f_" + base;
    }
    String name = base;
    for (int i = 2; !taken.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  private String labelColumn() {
    Set<String> taken = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    taken.addAll(key.columns());
    taken.addAll(eventTime.columns());
    features.forEach(f -> taken.add(f.name()));
    return List.of("label", "target").stream().filter(n -> !taken.contains(n)).findFirst().orElse("label_value");
  }

  private void rules() {
    List<String> identity = new ArrayList<>(key.columns());
    identity.addAll(eventTime.columns());
    rules.add(new Rule("{ type = \"not-null\", columns = " + quotedList(identity) + ", severity = \"drop\" }",
        "The entity key and the event time identify a row: a row without them is dropped to quarantine ("
            + identity.stream().map(c -> c + ": " + StarterText.nulls(profile(c))).reduce((a, b) -> a + "; " + b)
            .orElse("") + " " + sampled() + ")"));
    List<String> complete = columns.stream().filter(c -> c.nulls() == 0 && !identity.contains(c.name()))
        .map(ColumnProfile::name).toList();
    if (!complete.isEmpty()) {
      rules.add(new Rule("{ type = \"not-null\", columns = " + quotedList(complete) + ", severity = \"warn\" }",
          "Complete: no nulls " + sampled() + " (recorded, not dropped, when a later batch has some)"));
    }
    if (key.columns().size() == 1 && profile(key.columns().get(0)).unique()) {
      rules.add(new Rule("{ type = \"unique\", columns = " + quotedList(key.columns()) + ", severity = \"drop\" }",
          "The key is unique " + sampled()));
    }
    for (ColumnProfile column : columns) {
      if (!identity.contains(column.name())) {
        columnRules(column);
      }
    }
  }

  private void columnRules(ColumnProfile column) {
    String name = quote(column.name());
    if (column.nulls() > 0 && column.nonNull() > 0) {
      double fraction = column.nullFraction();
      double bound = Math.min(1, fraction + 1.96 * Math.sqrt(fraction * (1 - fraction) / rows));
      double max = BigDecimal.valueOf(bound).setScale(2, RoundingMode.CEILING).doubleValue();
      rules.add(new Rule("{ type = \"max-null-fraction\", column = " + name + ", max = " + number(max)
          + ", severity = \"warn\" }", StarterText.nulls(column) + " " + sampled() + "; the bound is the upper end of "
          + "the 95% confidence interval of that share"));
    }
    boolean classes = column == label && task.task() != Task.REGRESSION;
    if (column.isNumeric() && column.numbers().isPresent() && !classes && !(column.unique() && idLike(column.name()))) {
      rules.add(range(column));
    }
    if (column.isString() && column.fullyCounted() && column.distinctValues() <= MAX_CATEGORIES
        && 10 * column.distinctValues() <= column.nonNull()) {
      List<String> values = column.top().stream().map(ColumnProfile.ValueCount::value).sorted().toList();
      rules.add(new Rule("{ type = \"allowed\", column = " + name + ", values = " + quotedList(values)
          + ", severity = \"warn\" }", count(values.size()) + " values " + sampled() + ": "
          + StarterText.shares(column)));
    }
  }

  /** The observed range widened by a tenth of its 1st-99th percentile spread, rounded outwards; 0 kept as a floor. */
  private Rule range(ColumnProfile column) {
    ColumnProfile.Numbers n = column.numbers().orElseThrow();
    double spread = n.p99() - n.p01() > 0 ? n.p99() - n.p01()
        : Math.max(n.max() - n.min(), Math.max(1, Math.abs(n.max())));
    double margin = spread / 10;
    double step = Math.pow(10, Math.floor(Math.log10(margin)));
    double low = Math.floor((n.min() - margin) / step) * step;
    double high = Math.ceil((n.max() + margin) / step) * step;
    if (n.min() >= 0 && low < 0) {
      low = 0;
    }
    if (column.isIntegral()) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    String min = tidy(low, step);
    String max = tidy(high, step);
    return new Rule("{ type = \"range\", column = " + quote(column.name()) + ", min = " + min + ", max = " + max
        + ", severity = \"warn\" }", "Observed " + StarterText.approx(n.min()) + " to " + StarterText.approx(n.max())
        + " (1st to 99th percentile " + StarterText.approx(n.p01()) + " to " + StarterText.approx(n.p99()) + ") "
        + sampled() + ", widened by a tenth of "
        + "that spread" + (n.min() >= 0 ? ", never below 0" : ""));
  }

  private static String tidy(double value, double step) {
    int scale = Math.max(0, (int) -Math.floor(Math.log10(step)));
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  ColumnProfile profile(String column) {
    return columns.stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow();
  }

  List<String> numericFeatures() {
    return features.stream().filter(Predicate.not(Feature::categorical)).map(Feature::name).toList();
  }

  List<String> categoricalFeatures() {
    return features.stream().filter(Feature::categorical).map(Feature::name).toList();
  }

  Task taskKind() {
    return task.task();
  }
}
