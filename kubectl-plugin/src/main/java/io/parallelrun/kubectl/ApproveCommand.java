package io.parallelrun.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.ParallelRun;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "approve", mixinStandardHelpOptions = true,
    description = {"Approves the next step of endpoints: adds them to the parallelrun.io/approve annotation.",
        "A promotion: Manual endpoint steps once its threshold has held; a mirror: false one steps at once."})
final class ApproveCommand extends ClusterCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The ParallelRun.")
  String name;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "ENDPOINT", description = "Endpoint names, as in spec.endpoints[].name.")
  List<String> endpoints;

  @Mixin
  OutputOption output;

  @Override
  int run(KubernetesClient client, Runs runs) {
    if (endpoints.contains(EndpointList.ALL)) {
      throw new UserError("approve takes endpoint names, not \"*\": approving is done endpoint by endpoint");
    }
    Change change = AnnotationEdit.add(runs, name, ParallelRun.APPROVE_ANNOTATION, endpoints,
        "an endpoint keeps stepping while it is listed; remove it from the annotation to stop");
    output.print(out(), change, change::toString);
    return 0;
  }
}
