package io.parallelrun.kubectl;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import picocli.CommandLine.Option;

/** kubectl's connection flags, shared by every subcommand that talks to the API server. */
public final class ClusterOptions {
  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "The namespace of the ParallelRun (default: the kubeconfig context's, else \"default\").")
  String namespace;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "The kubeconfig context to use.")
  String context;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster).")
  File kubeconfig;

  /** The Fabric8 configuration these flags select, as kubectl would resolve them. */
  Config config() {
    Config config;
    if (kubeconfig != null) {
      if (!kubeconfig.canRead()) throw new UserError("--kubeconfig: cannot read " + kubeconfig);
      config = Config.fromKubeconfig(context, kubeconfig);
    } else {
      config = Config.autoConfigure(context);
    }
    // Fabric8 falls back to the current context when the named one is missing; kubectl refuses, and so do we.
    if (context != null && config.getContexts().stream().noneMatch(c -> context.equals(c.getName()))) {
      throw new UserError("--context: context \"" + context + "\" not found in the kubeconfig");
    }
    return config;
  }

  /** Work done with a client, which is closed after it. */
  interface ClientWork<T> {
    T run(KubernetesClient client) throws Exception;
  }

  /**
   * Runs the work with a client of these flags. No retries (kubectl makes none either: a person is waiting), and
   * an API server that never answered is named with its URL instead of the request that failed.
   */
  <T> T withClient(ClientWork<T> work) throws Exception {
    Config config = config();
    config.setRequestRetryBackoffLimit(0);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      try {
        return work.run(client);
      } catch (KubernetesClientException e) {
        if (e.getCode() > 0 || e.getStatus() != null) throw e;
        throw new UserError("cannot reach the API server at " + config.getMasterUrl() + ": " + rootMessage(e), e);
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** The -n flag, else the namespace the kubeconfig context names, else "default", like kubectl. */
  String namespace(KubernetesClient client) {
    if (namespace != null && !namespace.isBlank()) return namespace;
    String fromContext = client.getConfiguration().getNamespace();
    return fromContext == null || fromContext.isBlank() ? "default" : fromContext;
  }
}
