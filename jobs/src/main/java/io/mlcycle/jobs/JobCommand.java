package io.mlcycle.jobs;

import picocli.CommandLine.Mixin;

/** A job as the command line sees it: the job plus the options every job takes. */
public abstract class JobCommand implements Job {
  @Mixin
  CommonOptions common = new CommonOptions();
}
