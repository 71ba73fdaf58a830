package io.mlcycle.init;

import com.typesafe.config.ConfigUtil;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a starter pipeline writes values and evidence: HOCON strings and numbers, counts, shares and ranges. */
final class StarterText {
  private static final int SHOWN_VALUES = 5;

  private StarterText() {}

  /** A HOCON string: always quoted, so that any column name (spaces, {@code $}, dots) reads back as written. */
  static String quote(String value) {
    return ConfigUtil.quoteString(value);
  }

  static String quotedList(List<String> values) {
    return values.stream().map(StarterText::quote).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A Spark SQL string literal. */
  static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A number as HOCON and people read it: no exponent, no trailing zeros. */
  static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** "a double", "an int": a type's name with its article. */
  static String article(String noun) {
    return ("aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
  }

  /** A measured value to four significant digits. */
  static String approx(double value) {
    return number(round(value));
  }

  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, share < 0.1 && share > 0 ? "%.1f%%" : "%.0f%%", 100 * share);
  }

  /** The most frequent values with their shares of the non-null rows. */
  static String shares(ColumnProfile column) {
    String shown = column.top().stream().limit(SHOWN_VALUES)
        .map(v -> v.value() + " " + percent((double) v.count() / Math.max(1, column.nonNull())))
        .collect(Collectors.joining(", "));
    return column.top().size() > SHOWN_VALUES ? shown + ", …" : shown;
  }

  /** A numeric column's range and median. */
  static String numbers(ColumnProfile column) {
    return column.numbers().map(n -> approx(n.min()) + " to " + approx(n.max()) + ", median " + approx(n.p50()))
        .orElse("no values");
  }

  static String nulls(ColumnProfile column) {
    return column.nulls() == 0 ? "no nulls" : count(column.nulls()) + " nulls (" + percent(column.nullFraction()) + ")";
  }

  private static double round(double value) {
    return new BigDecimal(value).round(new java.math.MathContext(4)).doubleValue();
  }
}
