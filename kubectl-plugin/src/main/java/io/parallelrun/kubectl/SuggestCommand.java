package io.parallelrun.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.ParallelRunSpec;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Reads one run (RBAC: get parallelruns) and prints; it never writes: spec belongs to Git, not to this plugin. */
@Command(name = "suggest", mixinStandardHelpOptions = true,
    description = {"The comparator rules a ParallelRun's learned noise calls for, as the YAML of its spec to commit "
        + "through Git: per endpoint, ignoreHeaders and ignoreJsonPaths, each the endpoint's current effective list "
        + "plus the fields its status names as noise (differences with noise: true, and ignoredNoise).",
        "Writes nothing to the cluster. -o yaml or -o json: the same document without the comment."})
final class SuggestCommand extends ClusterCommand {
  /** The comment lines that say why committing the YAML as it is loses no rule. */
  static final String MERGE_NOTE = """
      # Each list is the endpoint's current effective list (its own, else spec.defaults.comparator's)
      # plus the learned noise, so replacing the endpoint's list with it loses nothing.
      """;

  @Parameters(index = "0", paramLabel = "NAME", description = "The ParallelRun.")
  String name;

  @Mixin
  OutputOption output;

  @Override
  int run(KubernetesClient client, Runs runs) {
    JsonNode run = runs.get(name);
    ParallelRunSpec suggested;
    try {
      suggested = NoiseRules.suggest(Runs.spec(run), Runs.endpointStatuses(run));
    } catch (IllegalArgumentException e) {
      throw new UserError("parallelrun " + Runs.qualifiedName(run) + ": " + e.getMessage(), e);
    }
    Map<String, ParallelRunSpec> document = Map.of("spec", suggested);
    output.print(out(), document, () -> text(Runs.qualifiedName(run), document));
    return 0;
  }

  /** For people: what the YAML is and how to use it, in comment lines, then the YAML; or that there is nothing. */
  static String text(String run, Map<String, ParallelRunSpec> document) {
    if (document.get("spec").getEndpoints().isEmpty()) {
      return Terminal.printable("parallelrun " + run + ": nothing to suggest: no endpoint's status names noise "
          + "that its comparator rules do not already leave out") + "\n";
    }
    return Terminal.printable("# parallelrun " + run + ": comparator rules for the noise its proxies learned.") + "\n"
        + "# Commit them to the run's manifest through Git: the operator never writes spec.\n" + MERGE_NOTE
        + OutputFormat.yaml.render(document);
  }
}
