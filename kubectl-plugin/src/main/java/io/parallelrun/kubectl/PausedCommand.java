package io.parallelrun.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** pause and resume: the same patch of spec.paused, in opposite directions. */
abstract class PausedCommand extends ClusterCommand {
  private final boolean paused;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ParallelRun.")
  String name;

  @Mixin
  OutputOption output;

  PausedCommand(boolean paused) {
    this.paused = paused;
  }

  @Override
  int run(KubernetesClient client, Runs runs) {
    Change change = PausedEdit.set(runs, name, paused);
    output.print(out(), change, change::toString);
    return 0;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = {"Freezes every endpoint of a ParallelRun at its weight (sets spec.paused: true).",
          "Traffic keeps flowing and being compared. GitOps puts Git's value back unless the change goes through Git."})
  static final class Pause extends PausedCommand {
    Pause() {
      super(true);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = {"Lets a paused ParallelRun move again (removes spec.paused; the hold restarts).",
          "GitOps puts Git's value back unless the change goes through Git."})
  static final class Resume extends PausedCommand {
    Resume() {
      super(false);
    }
  }
}
