package io.mlcycle.base;

import java.util.function.Supplier;
import org.slf4j.Logger;

/** One INFO line per meaningful step, with its duration: "ingest read 2001-01.csv: 0.8 s". */
public final class Steps {
  private Steps() {}

  public static <T> T timed(Logger log, String step, Supplier<T> body) {
    long start = System.nanoTime();
    T result = body.get();
    log.info("{}: {} s", step, String.format("%.2f", (System.nanoTime() - start) / 1e9));
    return result;
  }
}
