package io.parallelrun.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.parallelrun.testing.JavaProcess;
import io.parallelrun.testing.RepoFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the proxy as a local process configured exactly like the container of the Deployment the operator
 * created: same arguments, same environment. There is no kubelet here, so three things a pod would get from its
 * node are supplied instead, and only these: loopback listen addresses (free ports instead of 0.0.0.0:8080 and
 * :9901), a kubeconfig that impersonates the pod's service account instead of its mounted token, and a
 * service-URL template instead of cluster DNS.
 */
final class ProxyFromDeployment {
  static final Path JAR = RepoFiles.root().resolve("proxy/target/parallel-run-proxy.jar");

  private ProxyFromDeployment() {}

  static JavaProcess launch(Deployment deployment, int listenPort, int adminPort, Path kubeconfig,
      Impersonation serviceAccount) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> args = container.getArgs().stream().map(arg -> {
      if (arg.startsWith("--listen=")) return "--listen=127.0.0.1:" + listenPort;
      if (arg.startsWith("--admin=")) return "--admin=127.0.0.1:" + adminPort;
      return arg;
    }).toList();
    if (container.getArgs().stream().noneMatch(a -> a.startsWith("--listen="))
        || container.getArgs().stream().noneMatch(a -> a.startsWith("--admin="))) {
      throw new AssertionError("the proxy container has no --listen=/--admin= arguments: " + container.getArgs());
    }

    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), value(var, deployment));
    }
    env.put("KUBECONFIG", kubeconfig.toString());
    env.putAll(serviceAccount.environment());
    env.put("PARALLELRUN_SERVICE_URL_TEMPLATE", "http://127.0.0.1:{port}");
    return new JavaProcess("proxy", JAR, args, env);
  }

  private static String value(EnvVar var, Deployment deployment) {
    if (var.getValue() != null) return var.getValue();
    if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
      return switch (var.getValueFrom().getFieldRef().getFieldPath()) {
        case "metadata.namespace" -> deployment.getMetadata().getNamespace();
        case "metadata.name" -> deployment.getMetadata().getName() + "-local";
        default -> throw new AssertionError("unsupported fieldRef in proxy env " + var.getName());
      };
    }
    throw new AssertionError("unsupported env source for " + var.getName() + ": " + var);
  }
}
