package io.parallelrun.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.parallelrun.testing.Kubectl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A cluster with a node, where the product runs as pods: `hack/local-cluster.sh up --with-node` on this machine,
 * or kind (e2e/kind/run.sh). The test command passes its kubeconfig as {@code -De2e.kubeconfig=PATH}; the images
 * are already in the node (imported, or `kind load`).
 */
final class NodeCluster {
  static final String KUBECONFIG_PROPERTY = "e2e.kubeconfig";

  final String kubeconfig;
  final KubernetesClient client;
  final Kubectl kubectl;

  private NodeCluster(String kubeconfig) throws IOException {
    this.kubeconfig = kubeconfig;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    this.kubectl = new Kubectl(kubeconfig);
  }

  static NodeCluster fromSystemProperty() throws IOException {
    String path = System.getProperty(KUBECONFIG_PROPERTY);
    if (path == null || path.isBlank()) {
      throw new IllegalStateException("-D" + KUBECONFIG_PROPERTY + "=PATH is required: a cluster with a node "
          + "(hack/local-cluster.sh up --with-node, or kind); e2e/run-tests.sh starts one");
    }
    return new NodeCluster(Files.readString(Path.of(path)));
  }

  /** Server-side apply of YAML (one or more documents), as `kubectl apply --server-side` would. */
  void apply(String yaml) {
    List<HasMetadata> objects = client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    for (HasMetadata object : objects) {
      client.resource(object).forceConflicts().serverSideApply();
    }
  }

  /** GET through the API server's proxy subresource of a pod or Service, so no port needs to reach the host. */
  String proxyGet(String kind, String namespace, String nameAndPort, String pathAndQuery) {
    String url = client.getMasterUrl().toString().replaceAll("/$", "")
        + "/api/v1/namespaces/" + namespace + "/" + kind + "/" + nameAndPort + "/proxy" + pathAndQuery;
    return client.raw(url);
  }

  void awaitDeploymentReady(String namespace, String name, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
      var d = client.apps().deployments().inNamespace(namespace).withName(name).get();
      return d != null && d.getStatus() != null && d.getSpec().getReplicas() != null
          && d.getStatus().getObservedGeneration() != null
          && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
          && d.getSpec().getReplicas().equals(d.getStatus().getReadyReplicas())
          && d.getSpec().getReplicas().equals(d.getStatus().getUpdatedReplicas())
          && d.getSpec().getReplicas().equals(d.getStatus().getReplicas());
    });
  }
}
