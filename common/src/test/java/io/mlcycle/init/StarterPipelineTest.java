package io.mlcycle.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlcycle.base.MlcycleException;
import io.mlcycle.dataset.InputFiles;
import io.mlcycle.dataset.SourceFormat;
import io.mlcycle.metrics.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The choices of a starter pipeline from profiles built by hand: no Spark, every branch of the inference. */
class StarterPipelineTest {
  private static final long ROWS = 1000;
  private static final RawSample SAMPLE = new RawSample(new InputFiles("visits.csv", List.of("file:/data/visits.csv")),
      SourceFormat.CSV, Map.of("header", "true"), null, 10_000);

  @Test
  void aYesNoLabelIsBinaryWithYesAsThePositiveClassAndARareOneIsWeighted() {
    ColumnProfile churned = text("Churned?", List.of(value("no", 900), value("yes", 100)));
    StarterPipeline starter = StarterPipeline.infer("visits", SAMPLE, List.of(id("visitId"), time("at"),
        number("spend", DataTypes.DoubleType, 0, 250), churned), Optional.of("churned?"));
    assertEquals(Task.BINARY, starter.taskKind());
    assertEquals("`Churned?` = 'yes'", starter.task.expr());
    assertEquals(0.1, starter.task.baseline(), 1e-9);
    assertEquals(List.of("visitId"), starter.key.columns(), "camel-case Id names a key");
    String file = StarterFile.render(starter, "visits.csv", Instant.EPOCH);
    assertTrue(file.contains("class-weight = \"balanced\""), file);
    assertTrue(file.contains("min { areaUnderROC = 0.5 }"), file);
  }

  @Test
  void aDoubleOfZerosAndOnesIsABinaryLabelAsItIs() {
    ColumnProfile fraud = new ColumnProfile("is_fraud", DataTypes.DoubleType, ROWS, ROWS, 2, OptionalLong.empty(),
        Optional.of(new ColumnProfile.Numbers(0, 1, 0, 0, 1)), Optional.empty(),
        List.of(value("0.0", 970), value("1.0", 30)));
    StarterPipeline starter = StarterPipeline.infer("visits", SAMPLE, List.of(id("visit_id"), time("at"),
        number("spend", DataTypes.DoubleType, 0, 250), fraud), Optional.of("is_fraud"));
    assertEquals(Task.BINARY, starter.taskKind());
    assertEquals("`is_fraud`", starter.task.expr());
    assertEquals(0.03, starter.task.baseline(), 1e-9);
  }

  @Test
  void integersWithAFewValuesAreClassesAndTheCommonestClassIsTheFloor() {
    ColumnProfile grade = new ColumnProfile("grade", DataTypes.IntegerType, ROWS, ROWS, 3, OptionalLong.of(3),
        Optional.of(new ColumnProfile.Numbers(1, 3, 1, 2, 3)), Optional.empty(),
        List.of(value("2", 500), value("1", 300), value("3", 200)));
    StarterPipeline starter = StarterPipeline.infer("visits", SAMPLE, List.of(id("visit_id"), time("at"),
        number("spend", DataTypes.DoubleType, 0, 250), grade), Optional.of("grade"));
    assertEquals(Task.MULTICLASS, starter.taskKind());
    String file = StarterFile.render(starter, "visits.csv", Instant.EPOCH);
    assertTrue(file.contains("min { accuracy = 0.5 }") && file.contains("metric = \"macroF1\""), file);
    assertTrue(starter.rules.stream().noneMatch(r -> r.hocon().contains("\"range\", column = \"grade\"")),
        "classes get no range rule");
  }

  @Test
  void anObservedRangeIsWidenedByATenthOfItsSpreadAndRoundedOutwards() {
    StarterPipeline starter = StarterPipeline.infer("visits", SAMPLE, List.of(id("visit_id"), time("at"),
        number("temperature", DataTypes.DoubleType, -12.34, 31.7), number("amount", DataTypes.DoubleType, 3, 97),
        number("y", DataTypes.DoubleType, 0, 1000)), Optional.empty());
    assertEquals(Task.REGRESSION, starter.taskKind(), "a column named y is the label");
    List<String> rules = starter.rules.stream().map(StarterPipeline.Rule::hocon).toList();
    assertTrue(rules.contains(
        "{ type = \"range\", column = \"temperature\", min = -17, max = 37, severity = \"warn\" }"), rules.toString());
    assertTrue(rules.contains("{ type = \"range\", column = \"amount\", min = 0, max = 107, severity = \"warn\" }"),
        "a non-negative column stays so: " + rules);
  }

  @Test
  void withoutAUniqueColumnThereIsNoKeyAndValidateAddsTheRowId() {
    ColumnProfile store = text("store", List.of(value("a", 600), value("b", 400)));
    StarterPipeline starter = StarterPipeline.infer("visits", SAMPLE, List.of(store, time("at"),
        number("label", DataTypes.DoubleType, 0, 9)), Optional.empty());
    assertEquals(List.of(), starter.key.columns());
    assertTrue(starter.key.evidence().contains("validate adds _row_id"), starter.key.evidence());
  }

  @Test
  void anUnknownLabelSaysWhichColumnWasMeant() {
    MlcycleException e = assertThrows(MlcycleException.class, () -> StarterPipeline.infer("visits", SAMPLE,
        List.of(id("visit_id"), time("at"), number("spend", DataTypes.DoubleType, 0, 9)), Optional.of("spnd")));
    assertTrue(e.getMessage().contains("Did you mean 'spend'?"), e.getMessage());
    MlcycleException underscore = assertThrows(MlcycleException.class, () -> StarterPipeline.infer("visits", SAMPLE,
        List.of(id("_id"), number("spend", DataTypes.DoubleType, 0, 9)), Optional.of("spend")));
    assertTrue(underscore.getMessage().contains("'_id'") && underscore.getMessage().contains("Rename"),
        underscore.getMessage());
  }

  private static ColumnProfile id(String name) {
    return new ColumnProfile(name, DataTypes.StringType, ROWS, ROWS, ROWS, OptionalLong.of(ROWS), Optional.empty(),
        Optional.empty(), List.of());
  }

  private static ColumnProfile time(String name) {
    return new ColumnProfile(name, DataTypes.TimestampType, ROWS, ROWS, ROWS, OptionalLong.empty(), Optional.empty(),
        Optional.of(new ColumnProfile.Times("2024-01-01 00:00:00", "2024-02-01 00:00:00", 31, 24, 7)), List.of());
  }

  private static ColumnProfile number(String name, DataType type, double min, double max) {
    return new ColumnProfile(name, type, ROWS, ROWS, ROWS, OptionalLong.empty(),
        Optional.of(new ColumnProfile.Numbers(min, max, min, (min + max) / 2, max)), Optional.empty(), List.of());
  }

  private static ColumnProfile text(String name, List<ColumnProfile.ValueCount> values) {
    return new ColumnProfile(name, DataTypes.StringType, ROWS, ROWS, values.size(), OptionalLong.of(values.size()),
        Optional.empty(), Optional.empty(), values);
  }

  private static ColumnProfile.ValueCount value(String value, long count) {
    return new ColumnProfile.ValueCount(value, count);
  }
}
