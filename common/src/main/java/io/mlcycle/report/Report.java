package io.mlcycle.report;

import java.util.List;

/**
 * A report on one training run of a pipeline: every section in lifecycle order, built from what was
 * read. Sections whose tables do not exist yet say which job makes them.
 */
public record Report(ReportSubject subject, List<ReportSection> sections) {

  public static Report of(ReportData data) {
    return new Report(data.subject(), List.of(
        DataQualitySection.build(data),
        NullShareSection.build(data),
        FeatureProfileSection.build(data),
        CrossValidationSection.build(data),
        HoldoutSection.build(data),
        WeightsSection.build(data),
        CurvesSection.build(data),
        ConfusionSection.build(data),
        CalibrationSection.build(data),
        SliceSection.build(data),
        GateSection.build(data),
        RegistrySection.build(data),
        DriftSection.build(data),
        PerformanceSection.build(data),
        DecisionSection.build(data),
        LineageSection.build(data)));
  }

  public String title() {
    return "mlcycle report: " + subject.pipeline() + ", run " + subject.runId();
  }

  public List<ReportSection> sections(Chapter chapter) {
    return sections.stream().filter(s -> s.chapter() == chapter).toList();
  }
}
