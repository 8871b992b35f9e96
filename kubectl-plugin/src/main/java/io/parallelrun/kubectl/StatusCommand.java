package io.parallelrun.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Where each endpoint of a ParallelRun stands: weight, state, match rate, samples and why.",
        "Without NAME: one line per ParallelRun in the namespace."})
final class StatusCommand extends ClusterCommand {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "The ParallelRun.")
  String name;

  @Mixin
  OutputOption output;

  @Override
  int run(KubernetesClient client, Runs runs) {
    if (name != null) {
      RunStatus run = RunStatus.of(runs.get(name));
      output.print(out(), run, () -> StatusTable.run(run));
      return 0;
    }
    List<RunStatus> all = runs.list().stream().map(RunStatus::of).toList();
    output.print(out(), all, () -> all.isEmpty()
        ? "No ParallelRuns in namespace \"" + runs.namespace() + "\".\n"
        : StatusTable.runs(all));
    return 0;
  }
}
