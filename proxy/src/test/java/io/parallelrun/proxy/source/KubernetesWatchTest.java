package io.parallelrun.proxy.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.proxy.manifest.BackendResolver;
import io.parallelrun.proxy.manifest.RoutingTableFactory;
import io.parallelrun.proxy.metrics.ProxyMetrics;
import io.parallelrun.proxy.routing.RoutingTable;
import io.parallelrun.testing.RealParts;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-cluster mode against a real kube-apiserver: initial read, live status and spec changes. */
@EnableKubeAPIServer
@RealParts
class KubernetesWatchTest {
  static KubernetesClient client;

  @BeforeAll
  static void installCrd() throws Exception {
    Path crd = Path.of(System.getProperty("repo.root", "..")).resolve("crds/parallelruns.parallelrun.io-v1.yml");
    try (InputStream in = new FileInputStream(crd.toFile())) {
      client.apiextensions().v1().customResourceDefinitions().load(in).serverSideApply();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      CustomResourceDefinition d = client.apiextensions().v1().customResourceDefinitions()
          .withName("parallelruns.parallelrun.io").get();
      assertThat(d.getStatus().getConditions())
          .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    });
  }

  private static final String MANIFEST = """
      apiVersion: parallelrun.io/v1alpha1
      kind: ParallelRun
      metadata:
        name: shop
        namespace: default
      spec:
        legacy:
          service: {name: legacy, port: 8080}
        candidate:
          url: http://127.0.0.1:9002
        endpoints:
        - name: get-order
          method: GET
          path: /orders/{id}
      """;

  @Test
  void followsStatusWeightsAndSpecChanges() throws Exception {
    ParallelRun run = client.resources(ParallelRun.class)
        .load(new java.io.ByteArrayInputStream(MANIFEST.getBytes())).item();
    client.resources(ParallelRun.class).inNamespace("default").resource(run).create();

    TableHolder tables = new TableHolder(new RoutingTableFactory(
        BackendResolver.withServices("http://127.0.0.1:1{port}"), new ProxyMetrics()));
    try (KubernetesWatch watch = new KubernetesWatch(client, false, "default", "shop", tables)) {
      watch.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> tables.get() != null);
      RoutingTable first = tables.get();
      assertThat(first.legacy().port()).isEqualTo(18080);
      assertThat(first.route("get-order").weight()).isZero();

      // the operator writes a weight into the status: applied within a second
      ParallelRun current = client.resources(ParallelRun.class).inNamespace("default").withName("shop").get();
      ParallelRunStatus status = new ParallelRunStatus();
      EndpointStatus es = new EndpointStatus();
      es.setName("get-order");
      es.setWeight(25);
      status.setEndpoints(List.of(es));
      current.setStatus(status);
      long t0 = System.nanoTime();
      client.resources(ParallelRun.class).inNamespace("default").resource(current).updateStatus();
      await().atMost(Duration.ofSeconds(1)).until(() -> tables.get().route("get-order").weight() == 25);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));

      // a spec change (new endpoint, comparator rule) too
      client.resources(ParallelRun.class).inNamespace("default").withName("shop").edit(r -> {
        var e = new io.parallelrun.api.EndpointSpec();
        e.setName("list-orders");
        e.setMethod(io.parallelrun.api.HttpMethod.GET);
        e.setPath("/orders");
        r.getSpec().getEndpoints().add(e);
        return r;
      });
      await().atMost(Duration.ofSeconds(1)).until(() -> tables.get().route("list-orders") != null);
      assertThat(tables.get().route("get-order").weight()).isEqualTo(25);
    }
  }
}
