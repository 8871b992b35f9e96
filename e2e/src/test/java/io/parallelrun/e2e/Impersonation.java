package io.parallelrun.e2e;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubeconfigs that act as a service account (the kubeconfig {@code as:} field), so a process run here has exactly
 * the permissions RBAC gives that account in a cluster — no more, unlike the admin kubeconfig.
 */
final class Impersonation {
  private Impersonation() {}

  static Path kubeconfigActingAs(String adminKubeconfig, String namespace, String serviceAccount) throws IOException {
    Config config = Serialization.unmarshal(adminKubeconfig, Config.class);
    config.getUsers().forEach(user -> user.getUser().setAs("system:serviceaccount:" + namespace + ":" + serviceAccount));
    Path file = Files.createTempFile("kubeconfig-" + serviceAccount, ".yaml");
    file.toFile().deleteOnExit();
    Files.writeString(file, Serialization.asYaml(config));
    return file;
  }
}
