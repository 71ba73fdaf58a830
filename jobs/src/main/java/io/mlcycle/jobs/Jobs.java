package io.mlcycle.jobs;

import java.util.List;
import java.util.function.Supplier;

/** Every job the runner knows, in lifecycle order: the order of {@code mlcycle --help}. */
final class Jobs {
  private Jobs() {}

  static List<Supplier<JobCommand>> all() {
    return List.of(
        DemoJob::new,
        InitJob::new,
        IngestJob::new,
        ValidateJob::new,
        FeaturesJob::new,
        TrainJob::new,
        EvaluateJob::new,
        ModelsJob::new,
        PromoteJob::new,
        RollbackJob::new,
        ScoreJob::new,
        MonitorJob::new,
        RetrainJob::new,
        RunJob::new,
        LineageJob::new,
        ReproduceJob::new,
        VacuumJob::new,
        ReportJob::new,
        RunsJob::new,
        ConfigJob::new,
        DoctorJob::new);
  }
}
