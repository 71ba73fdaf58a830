package io.mlcycle.quality;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;

import com.typesafe.config.Config;
import io.mlcycle.dataset.DeclaredColumn;
import io.mlcycle.base.Errors;
import io.mlcycle.io.ColumnNames;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;

/**
 * Columns declared {@code pii = true} on their way to silver ({@code pipeline.pii}): dropped, or replaced by
 * a keyed SHA-256 (hex) of the value, so joins on them still work but the value cannot be read back. The
 * key comes only from the environment variable the config names.
 */
public final class PiiProtection {
  private final boolean drop;
  private final String key;

  private PiiProtection(boolean drop, String key) {
    this.drop = drop;
    this.key = key;
  }

  /** {@code pipeline.pii}: drop the pii columns, or hash them with the key in environment variable {@code keyEnv}. */
  public record Mode(boolean drop, String keyEnv) {
    public static Mode from(Config config) {
      String mode = config.getString("pipeline.pii.mode");
      if (!mode.equals("hash") && !mode.equals("drop")) {
        throw Errors.badConfigValue("pipeline.pii.mode", config.getValue("pipeline.pii.mode").origin().description(),
            "'" + mode + "' is not a mode; use hash or drop");
      }
      return new Mode(mode.equals("drop"), config.getString("pipeline.pii.key-env"));
    }
  }

  /**
   * @param environment how to read an environment variable (System::getenv in jobs)
   * @param anyPii whether any column is declared pii; without one no key is needed
   */
  public static PiiProtection of(Mode mode, Function<String, String> environment, boolean anyPii) {
    if (mode.drop() || !anyPii) {
      return new PiiProtection(mode.drop(), "");
    }
    String key = environment.apply(mode.keyEnv());
    if (key == null || key.isBlank()) {
      throw Errors.usage("Cannot hash the pii columns: environment variable " + mode.keyEnv()
          + " (pipeline.pii.key-env) is not set. Export a secret key in it, or set pipeline.pii.mode = drop.");
    }
    return new PiiProtection(false, key);
  }

  /** The column as silver stores it: itself, its keyed hash, or nothing (dropped). */
  public Optional<Column> silverColumn(DeclaredColumn column) {
    if (!column.pii()) {
      return Optional.of(ColumnNames.column(column.name()));
    }
    if (drop) {
      return Optional.empty();
    }
    Column value = ColumnNames.column(column.name()).cast("string");
    return Optional.of(org.apache.spark.sql.functions.when(value.isNull(), lit(null).cast("string"))
        .otherwise(sha2(concat(lit(key), lit("\u0000"), value), 256)).as(column.name()));
  }

  @Override
  public String toString() {
    return drop ? "PiiProtection[drop]" : "PiiProtection[hash, key redacted]";
  }
}
