package io.parallelrun.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;

/**
 * Acting as a service account through impersonation, so a process run here with the admin kubeconfig has exactly
 * the permissions RBAC gives that account in a cluster — no more. The Fabric8 client (operator and proxy) takes
 * it from the environment variable below; it ignores a kubeconfig's {@code as:} field.
 */
record Impersonation(String namespace, String serviceAccount) {
  String username() {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount;
  }

  /** Environment for a Fabric8-based process. */
  Map<String, String> environment() {
    return Map.of("KUBERNETES_IMPERSONATE_USERNAME", username());
  }

  KubernetesClient client(String kubeconfig) {
    Config config = Config.fromKubeconfig(kubeconfig);
    config.setImpersonateUsername(username());
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
