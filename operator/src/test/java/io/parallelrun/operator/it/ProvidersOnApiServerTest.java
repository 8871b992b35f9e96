package io.parallelrun.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.OperatorSettings;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.operator.observe.PrometheusClient;
import io.parallelrun.operator.observe.provider.AnalysisProviders;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.operator.support.TlsPrometheusProxy;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that pick an analysis provider by name, on a real kube-apiserver, with the operator configured as the chart
 * configures it once providers exist (raw URLs refused): a real Prometheus behind an HTTPS proxy demanding a
 * token, trusted only through the provider's CA bundle.
 */
@EnableKubeAPIServer
@RealParts
class ProvidersOnApiServerTest {
  static KubernetesClient client;
  static ParallelRunOperator operator;
  static ComparisonExporter exporter;
  static PrometheusProcess prometheus;
  static TlsPrometheusProxy proxy;
  @TempDir
  static Path dir;
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String NS = "providers";

  @BeforeAll
  static void start() throws Exception {
    Cluster.applyCrd(client);
    Cluster.createNamespace(client, NS);
    exporter = new ComparisonExporter();
    prometheus = PrometheusProcess.startWith(List.of(), Duration.ofSeconds(1));
    exporter.scrapedBy(prometheus).rates(NS, "via-provider", "get-order", 50, 0, 0, 0);
    proxy = new TlsPrometheusProxy(dir, prometheus.url(), "s3cret");
    Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
    Path file = Files.writeString(dir.resolve("providers.yaml"), """
        - {name: mimir, url: "%s", bearerTokenFile: "%s", caFile: "%s", headers: {X-Scope-OrgID: shop}}
        """.formatted(proxy.url(), token, proxy.caPem()));
    OperatorSettings settings = OperatorSettings.from(new String[] {"--analysis-providers=" + file,
        "--proxy-image=" + Cluster.TEST_PROXY_IMAGE, "--health-port=0", "--prometheus-timeout=2s"}, java.util.Map.of());
    assertThat(settings.allowRawPrometheusUrl()).as("providers configured: raw URLs refused by default").isFalse();
    operator = Cluster.startOperatorWith(client, settings);
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
    if (proxy != null) proxy.close();
    if (prometheus != null) prometheus.close();
    if (exporter != null) exporter.close();
  }

  static void create(String name, java.util.function.Consumer<ParallelRunSpec> analysis) {
    ParallelRunSpec spec = Manifests.withAnalysis(Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "3s"), List.of(100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")), null, "1s");
    analysis.accept(spec);
    client.resource(Manifests.run(NS, name, spec)).create();
  }

  static Optional<Condition> condition(String name, String type) {
    ParallelRun run = Cluster.get(client, NS, name);
    if (run == null || run.getStatus() == null || run.getStatus().getConditions() == null) return Optional.empty();
    return run.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static void awaitCondition(String name, String type, String statusAndReason) {
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(condition(name, type))
        .hasValueSatisfying(c -> assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo(statusAndReason)));
  }

  @Test
  void aRunNamingTheProviderReadsItsMatchRatesThroughTlsAndTheToken() {
    create("via-provider", spec -> spec.getAnalysis().setProvider("mimir"));
    awaitCondition("via-provider", "MetricsAvailable", "True/QuerySucceeded");
    assertThat(proxy.orgIds()).contains("shop");
  }

  @Test
  void anUnknownProviderLeavesMetricsUnavailableNamingTheField() {
    create("unknown-provider", spec -> spec.getAnalysis().setProvider("thanos"));
    awaitCondition("unknown-provider", "MetricsAvailable", "False/UnknownProvider");
    assertThat(condition("unknown-provider", "MetricsAvailable").orElseThrow().getMessage())
        .isEqualTo("spec.analysis.provider: the operator has no analysis provider named thanos; it has mimir");
  }

  @Test
  void aRawUrlIsRefusedWhereProvidersAreConfigured() {
    create("raw-url", spec -> spec.getAnalysis().setPrometheus(new io.parallelrun.api.PrometheusSpec(prometheus.url())));
    awaitCondition("raw-url", ParallelRunStatus.READY, "False/PrometheusUrlNotAllowed");
    assertThat(condition("raw-url", ParallelRunStatus.READY).orElseThrow().getMessage())
        .contains("spec.analysis.prometheus.url", "spec.analysis.provider");
    assertThat(client.apps().deployments().inNamespace(NS).withName("raw-url-proxy").get()).as("no proxy").isNull();
  }
}
