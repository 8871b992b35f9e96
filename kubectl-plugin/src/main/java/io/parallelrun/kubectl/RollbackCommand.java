package io.parallelrun.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.ParallelRun;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Sends endpoints back to legacy (weight 0, RolledBack) at once: adds them to the "
        + "parallelrun.io/rollback annotation, or \"*\" with --all."})
final class RollbackCommand extends ClusterCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The ParallelRun.")
  String name;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "ENDPOINT", description = "Endpoint names, as in spec.endpoints[].name.")
  List<String> endpoints = List.of();

  @Option(names = "--all", description = "Every endpoint (the annotation becomes \"*\").")
  boolean all;

  @Mixin
  OutputOption output;

  @Override
  int run(KubernetesClient client, Runs runs) {
    if (all == !endpoints.isEmpty()) {
      throw new ParameterException(spec.commandLine(), all
          ? "give endpoint names or --all, not both"
          : "name the endpoints to roll back, or give --all");
    }
    Change change = AnnotationEdit.add(runs, name, ParallelRun.ROLLBACK_ANNOTATION,
        all ? List.of(EndpointList.ALL) : endpoints,
        "the endpoints stay on legacy for as long as they are listed; remove them from the annotation to resume");
    output.print(out(), change, change::toString);
    return 0;
  }
}
