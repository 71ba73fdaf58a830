package io.mlcycle.jobs;

import picocli.CommandLine.Command;

/** Prints the resolved configuration, secrets redacted. */
@Command(name = "config", description = "Print the resolved configuration (all layers applied, secrets redacted).")
final class ConfigJob extends JobCommand {
  @Override
  public boolean needsSpark() {
    return false;
  }

  @Override
  public void run(JobContext context) {
    context.out().println("# mlcycle configuration: reference.conf < "
        + context.settings().pipelineSource().map(p -> p + " < ").orElse("")
        + context.settings().source() + " < --set; secrets redacted");
    context.out().println(context.settings().render());
    context.summary().message("printed the resolved configuration");
  }
}
