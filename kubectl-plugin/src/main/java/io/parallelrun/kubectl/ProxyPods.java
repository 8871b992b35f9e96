package io.parallelrun.kubectl;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads /mismatches from every running proxy pod of a run through a port-forward made by the API server (RBAC:
 * pods/portforward). The forwarded connection arrives on the pod's loopback, which the proxy's admin access
 * allows; the local end listens on 127.0.0.1 only, on a free port, for the one request.
 */
final class ProxyPods {
  /** The operator's selector for a run's proxy pods (operator ProxyObjects.selector). */
  static final String NAME_LABEL = "app.kubernetes.io/name";
  static final String NAME_VALUE = "parallel-run-proxy";
  static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  private final KubernetesClient client;
  private final String namespace;
  private final int adminPort;
  private final AdminClient admin;

  ProxyPods(KubernetesClient client, String namespace, int adminPort, AdminClient admin) {
    this.client = client;
    this.namespace = namespace;
    this.adminPort = adminPort;
    this.admin = admin;
  }

  /** Each running pod's answer; a pod that cannot be read is reported on {@code warnings} and skipped. */
  List<SampleMerge.Answer> mismatches(String run, List<String> warnings) {
    List<Pod> pods = client.pods().inNamespace(namespace)
        .withLabels(Map.of(NAME_LABEL, NAME_VALUE, INSTANCE_LABEL, run)).list().getItems().stream()
        // A pod being deleted is draining: its samples go with it, and its port-forward may break mid-way.
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
    if (pods.isEmpty()) {
      throw new UserError("no running proxy pod of parallelrun " + namespace + "/" + run + " (pods labelled "
          + NAME_LABEL + "=" + NAME_VALUE + "," + INSTANCE_LABEL + "=" + run + ")");
    }
    List<SampleMerge.Answer> answers = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      try {
        answers.add(new SampleMerge.Answer(name, read(name)));
      } catch (IOException | RuntimeException e) {
        // One pod restarting must not hide the others' samples.
        warnings.add("pod " + name + ": " + e.getMessage());
      }
    }
    if (answers.isEmpty()) throw new UserError("no proxy pod answered: " + String.join("; ", warnings));
    return answers;
  }

  private String read(String pod) throws IOException {
    try (LocalPortForward forward = client.pods().inNamespace(namespace).withName(pod)
        .portForward(adminPort, InetAddress.getLoopbackAddress(), 0)) {
      URI base = URI.create("http://127.0.0.1:" + forward.getLocalPort());
      try {
        return admin.mismatches(base, "pod " + pod);
      } catch (UserError e) {
        // The forward's own failure (RBAC, no such port) says more than the connection it broke.
        Throwable cause = Stream.concat(forward.getServerThrowables().stream(), forward.getClientThrowables().stream())
            .findFirst().orElse(null);
        if (cause != null) throw new UserError("port-forward to port " + adminPort + " failed: " + cause.getMessage(), cause);
        throw e;
      }
    }
  }
}
