package io.mlcycle.report;

import java.sql.Timestamp;
import java.util.Locale;

/** How a table cell reads in a report: numbers to four significant digits, times in UTC, nulls empty. */
final class Cells {
  private Cells() {}

  static String format(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Double.toString(d);
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e9) {
        return Long.toString((long) d);
      }
      return String.format(Locale.ROOT, Math.abs(d) >= 1e-3 && Math.abs(d) < 1e6 ? "%.4g" : "%.3e", d)
          .replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
    if (value instanceof Timestamp time) {
      return time.toInstant().toString();
    }
    return value.toString();
  }
}
