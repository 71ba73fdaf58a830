package io.mlcycle.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.features.FlightsFixture.Flight;
import io.mlcycle.testing.SparkTest;
import java.time.Duration;
import java.time.Instant;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The window features of the shipped flights config are point-in-time correct: each equals a plain
 * Java recount over the flights strictly before the row (and, for the delayed share, whose outcome was
 * known by then), and changing the labels of later flights changes no earlier row's features.
 */
class PointInTimeTest extends SparkTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration KNOWN_AFTER = Duration.ofHours(2);

  private List<Flight> flights;
  private FeaturePipeline pipeline;

  @BeforeEach
  void setUp() {
    flights = FlightsFixture.flights(7, 400, 20);
    pipeline = FeaturePipeline.create(spark(), FlightsFixture.spec(tempDir), FlightsFixture.SILVER, "silver/flights",
        CategoryFolding.none("other"));
  }

  private Map<String, Row> features(List<Flight> input) {
    Dataset<Row> rows = FlightsFixture.rows(spark(), input);
    Map<String, Row> byId = new HashMap<>();
    for (Row row : pipeline.transform(rows, rows.limit(0)).collectAsList()) {
      byId.put(row.getString(0), row);
    }
    return byId;
  }

  private List<Flight> before(Flight flight, Duration lag, Predicate<Flight> sameGroup) {
    Instant from = flight.time().minus(WEEK);
    Instant until = flight.time().minus(lag);
    return flights.stream().filter(sameGroup)
        .filter(f -> !f.time().isBefore(from) && f.time().isBefore(until.plusNanos(1)) && f.time().isBefore(flight.time()))
        .toList();
  }

  @Test
  void windowsCountOnlyEarlierFlightsOfTheSameGroup() {
    Map<String, Row> computed = features(flights);
    assertEquals(flights.size(), computed.size());
    int sameTimeNeighbours = 0;
    for (Flight flight : flights) {
      Row row = computed.get(flight.id());
      Predicate<Flight> sameOrigin = f -> f.origin().equals(flight.origin());
      List<Flight> week = before(flight, Duration.ZERO, sameOrigin);
      List<Flight> route = before(flight, Duration.ZERO,
          f -> sameOrigin.test(f) && f.destination().equals(flight.destination()));
      List<Flight> known = before(flight, KNOWN_AFTER, sameOrigin);
      assertEquals(week.size(), row.<Double>getAs("origin_flights_7d"), flight.toString());
      assertEquals(route.size(), row.<Double>getAs("route_flights_7d"), flight.toString());
      if (known.isEmpty()) {
        assertNull(row.getAs("origin_delayed_share_7d"), flight.toString());
      } else {
        double share = known.stream().filter(f -> f.delay() > 15).count() / (double) known.size();
        assertEquals(share, row.<Double>getAs("origin_delayed_share_7d"), 1e-12, flight.toString());
      }
      assertEquals(flight.delay() > 15 ? 1.0 : 0.0, row.<Double>getAs("delayed"));
      sameTimeNeighbours += flights.stream().filter(f -> f != flight && sameOrigin.test(f)
          && f.time().equals(flight.time())).count() > 0 ? 1 : 0;
    }
    assertTrue(sameTimeNeighbours > 0, "the fixture must hold flights at the same time, to pin 'strictly before'");
  }

  @Test
  void changingLaterLabelsChangesNoEarlierFeatures() {
    Instant cutoff = FlightsFixture.START.plus(Duration.ofDays(10));
    Map<String, Row> original = features(flights);
    List<Flight> flipped = flights.stream()
        .map(f -> f.time().isAfter(cutoff) ? f.withDelay(f.delay() > 15 ? 0 : 120) : f).toList();
    Map<String, Row> changed = features(flipped);

    int laterRowsChanged = 0;
    for (Flight flight : flights) {
      Row before = original.get(flight.id());
      Row after = changed.get(flight.id());
      if (!flight.time().isAfter(cutoff)) {
        assertEquals(before, after, "an earlier row's features and label changed: " + flight);
      } else if (!Objects.equals(before.getAs("origin_delayed_share_7d"), after.getAs("origin_delayed_share_7d"))) {
        laterRowsChanged++;
      }
    }
    assertTrue(laterRowsChanged > 0, "the flipped labels must move some later rows' delayed share");
  }

  /**
   * A window grouped by a looked-up column runs after the lookups (the shipped ones run before), and a
   * category made from a window makes the categories pass compute the windows: both agree with the
   * shipped windows, since every test airport is alone in its state.
   */
  @Test
  void windowsOverLookupsAndCategoriesFromWindowsAgreeWithTheShippedWindows() {
    Config base = FlightsFixture.settings(tempDir).config();
    List<Object> features = new ArrayList<>(base.getList("pipeline.features").unwrapped());
    features.addAll(ConfigFactory.parseString("""
        f = [
          { name = state_flights_7d, expr = "1", default = 0,
            window { partition-by = ["origin_airport.state"], lookback = 7d, function = count } }
          { name = busy_origin, expr = "if(origin_flights_7d >= 20, 'busy', 'quiet')", categorical = true }
        ]""").getList("f").unwrapped());
    FeatureSpec spec = FeatureSpec.from(ConfigFactory.parseMap(Map.of("pipeline.features", features)).withFallback(base));
    FeaturePipeline extended = FeaturePipeline.create(spark(), spec, FlightsFixture.SILVER, "silver/flights",
        CategoryFolding.none("other"));
    Dataset<Row> rows = FlightsFixture.rows(spark(), flights);

    List<Row> computed = extended.transform(rows, rows.limit(0)).collectAsList();
    assertEquals(flights.size(), computed.size());
    Map<String, String> busy = new HashMap<>();
    for (Row row : computed) {
      assertEquals(row.<Double>getAs("origin_flights_7d"), row.<Double>getAs("state_flights_7d"), row.toString());
      assertEquals(row.<Double>getAs("origin_flights_7d") >= 20 ? "busy" : "quiet", row.getAs("busy_origin"));
      busy.put(row.getAs("flight_id"), row.getAs("busy_origin"));
    }
    assertTrue(busy.containsValue("busy") && busy.containsValue("quiet"), "the fixture must hold both categories");

    List<Row> expected = extended.transform(rows, rows.limit(0)).select("date", "busy_origin", "origin_state")
        .collectAsList();
    assertEquals(sortedStrings(expected), sortedStrings(extended.categories(rows)
        .select("date", "busy_origin", "origin_state").collectAsList()),
        "the categories pass sees, row for row, the categories the features hold");
  }

  private static List<String> sortedStrings(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }
}
