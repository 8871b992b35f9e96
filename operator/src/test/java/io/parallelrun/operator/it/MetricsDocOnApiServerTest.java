package io.parallelrun.operator.it;

import static io.parallelrun.operator.support.Cluster.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.operator.health.HealthServer;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.MetricsDoc;
import io.parallelrun.testing.MetricsDoc.MetricFamily;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.PrometheusScrape;
import io.parallelrun.testing.RealParts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import io.parallelrun.api.LatencyRollbackSpec;
import io.parallelrun.api.LatencyThresholdSpec;
import io.parallelrun.api.RollbackSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md lists the operator's own metrics in one table. The operator runs in-process against a real
 * kube-apiserver and a real Prometheus, cuts an endpoint with a p99 latency gate over and rolls it back because
 * its latency rose (so the gate's gauge and both rollback counters exist too), and every parallelrun_* family its health port's /metrics renders must be a row of that table with the
 * same type and label names, and an operator metric of the contract in api/; every row and every contract metric
 * must be rendered.
 */
@EnableKubeAPIServer
@RealParts
class MetricsDocOnApiServerTest {
  static final String SECTION = "## Operator metrics";
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static KubernetesClient client;

  @Test
  void theOperatorTableOfDocsMetricsIsWhatTheOperatorRenders() throws Exception {
    Cluster.applyCrd(client);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ComparisonExporter exporter = new ComparisonExporter();
        PrometheusProcess prometheus = PrometheusProcess.startWith(List.of(), Duration.ofSeconds(1));
        ParallelRunOperator operator = Cluster.startOperator(client, prometheus.url(), registry);
        HealthServer health = new HealthServer(0, operator.operator().getRuntimeInfo(), operator::isLeading, registry)
            .start()) {
      // Each run the exporter is given rates for becomes a target labelled as its proxy pod would be.
      exporter.scrapedBy(prometheus);
      String ns = "metrics-doc";
      Cluster.createNamespace(client, ns);
      ThresholdSpec threshold = new ThresholdSpec(99.0, 20L, "10s", "2s");
      threshold.setLatency(new LatencyThresholdSpec(null, 1.2));
      var spec = Manifests.spec(threshold, List.of(100), Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}"));
      RollbackSpec rollback = new RollbackSpec();
      rollback.setLatency(new LatencyRollbackSpec(2.0));
      spec.setRollback(rollback);
      client.resource(Manifests.run(ns, "orders", Manifests.withAnalysis(spec, null, "1s"))).create();
      exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0).latencies(ns, "orders", "get-order", 20, 0.02, 0.02);
      await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.CutOver);
      exporter.latencies(ns, "orders", "get-order", 20, 0.02, 0.07);
      await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.RolledBack);

      HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + health.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      Map<String, MetricFamily> rendered = PrometheusScrape.families(scrape.body(), "parallelrun_");
      assertThat(rendered).as("the operator renders its own metrics, the rollback counter among them")
          .containsKey("parallelrun_rollbacks_total").containsKey("parallelrun_latency_rollbacks_total");
      Map<String, MetricFamily> documented = MetricsDoc.section(Files.readString(MetricsDoc.file()), SECTION);

      assertThat(documented.keySet()).as("metrics in '%s' of docs/metrics.md against those the operator renders", SECTION)
          .containsExactlyInAnyOrderElementsOf(rendered.keySet());
      assertThat(documented.values()).as("type and label names of each metric in docs/metrics.md")
          .containsExactlyInAnyOrderElementsOf(rendered.values());
      assertThat(Metric.of(Metric.Exporter.OPERATOR).stream().map(MetricFamily::of))
          .as("the operator's metrics in the contract (api/, io.parallelrun.api.metrics.Metric) against those it renders")
          .containsExactlyInAnyOrderElementsOf(rendered.values());
    }
  }
}
