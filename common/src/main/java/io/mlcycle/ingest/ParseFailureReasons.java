package io.mlcycle.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.when;

import io.mlcycle.dataset.DatasetSpec;
import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.dataset.SourceFormat;
import io.mlcycle.io.ColumnNames;
import io.mlcycle.quality.QuarantineReasons;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Why a raw record cannot enter bronze, as an array of reasons built from Spark's own functions (no UDF):
 * for a malformed CSV line, its field count or each field that does not convert to its declared type;
 * for JSON, that it does not parse; for any record, each string column holding bytes that are not valid
 * in the declared encoding. Reasons name columns, never values, so personal data stays out of them.
 */
public final class ParseFailureReasons {
  private ParseFailureReasons() {}

  /** The reasons column: an empty array for a good record. */
  public static Column of(DatasetSpec spec) {
    Column corrupt = col(RawBatch.CORRUPT);
    Column parseReasons = spec.source().format() == SourceFormat.CSV
        ? csvReasons(spec, corrupt)
        : array(lit("malformed: not a " + spec.source().format().configName() + " record of the declared schema"));
    Column encoding = QuarantineReasons.compact(spec.columns().stream().filter(DeclaredColumn::isString)
        .map(c -> when(invalidBytes(c), lit("invalid-encoding(" + c.name() + ")")))
        .toList());
    return when(corrupt.isNotNull(), parseReasons).otherwise(encoding);
  }

  /**
   * Whether a record cannot enter bronze: exactly the records whose {@link #of} reasons are not empty, as
   * one boolean, which costs less than building the reasons of every record.
   */
  public static Column rejected(DatasetSpec spec) {
    Column rejected = col(RawBatch.CORRUPT).isNotNull();
    for (DeclaredColumn column : spec.columns()) {
      if (column.isString()) {
        rejected = rejected.or(functions.coalesce(invalidBytes(column), lit(false)));
      }
    }
    return rejected;
  }

  /** A string column holding the replacement character: bytes not valid in the declared encoding. */
  private static Column invalidBytes(DeclaredColumn column) {
    return instr(ColumnNames.column(column.name()), "\uFFFD").gt(0);
  }

  private static Column csvReasons(DatasetSpec spec, Column corrupt) {
    String delimiter = spec.source().option("delimiter", spec.source().option("sep", ","));
    Column fields = split(corrupt, Pattern.quote(delimiter), -1);
    int expected = spec.columns().size();
    List<Column> typeReasons = new ArrayList<>();
    for (int i = 0; i < expected; i++) {
      DeclaredColumn column = spec.columns().get(i);
      if (column.isString()) {
        continue;
      }
      Column field = functions.regexp_replace(element_at(fields, i + 1), lit("^[\" ]+|[\" ]+$"), lit(""));
      typeReasons.add(when(length(field).gt(0).and(converted(spec, column, field).isNull()),
          lit("malformed: " + column.name() + " is not a valid " + column.type().simpleString())));
    }
    Column byType = QuarantineReasons.compact(typeReasons);
    Column fallback = array(lit("malformed: the line does not parse as " + expected + " " + delimiterName(delimiter)
        + "-separated fields"));
    return when(size(fields).notEqual(expected),
        array(functions.concat(lit("malformed: "), size(fields).cast("string"),
            lit(" fields, expected " + expected))))
        .otherwise(when(size(byType).gt(0), byType).otherwise(fallback));
  }

  private static Column converted(DatasetSpec spec, DeclaredColumn column, Column field) {
    if (column.type().equals(org.apache.spark.sql.types.DataTypes.TimestampType)) {
      String format = spec.source().option("timestampFormat", "");
      return format.isEmpty() ? field.try_cast(column.type())
          : functions.call_function("try_to_timestamp", field, lit(format));
    }
    if (column.type().equals(org.apache.spark.sql.types.DataTypes.DateType)) {
      String format = spec.source().option("dateFormat", "");
      return format.isEmpty() ? field.try_cast(column.type()) : functions.call_function("try_to_date", field, lit(format));
    }
    return field.try_cast(column.type());
  }

  private static String delimiterName(String delimiter) {
    return switch (delimiter) {
      case "," -> "comma";
      case ";" -> "semicolon";
      case "\t" -> "tab";
      default -> "'" + delimiter + "'";
    };
  }
}
