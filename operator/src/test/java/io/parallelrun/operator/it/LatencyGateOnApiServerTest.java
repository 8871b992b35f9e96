package io.parallelrun.operator.it;

import static io.parallelrun.operator.support.Cluster.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.parallelrun.api.EndpointState;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.LatencyRollbackSpec;
import io.parallelrun.api.LatencyThresholdSpec;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.RollbackSpec;
import io.parallelrun.api.ThresholdSpec;

import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.ExporterStack;
import io.parallelrun.operator.support.Manifests;

import io.parallelrun.testing.RealParts;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The latency gate and rollback with the operator in-process against a real kube-apiserver, reading a real
 * Prometheus that scrapes the test exporter's compared-latency histograms of both sides (20 compared requests a
 * second, all matching). Window 10s, holdFor 2s, interval 1s. Legacy answers in 20 ms; a slow candidate in 70 ms,
 * whose p99 (histogram_quantile over the 50-100 ms bucket) is about 4x legacy's.
 */
@EnableKubeAPIServer
@RealParts
class LatencyGateOnApiServerTest {
  static KubernetesClient client;
  static ExporterStack stack;
  static ComparisonExporter exporter;

  static final double LEGACY = 0.020;
  static final double SLOW = 0.070;
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String EP = "get-order";

  @BeforeAll
  static void startEverything() {
    stack = ExporterStack.start(client);
    exporter = stack.exporter();
  }

  @AfterAll
  static void stopEverything() {
    if (stack != null) stack.close();
  }

  /**
   * One endpoint, steps [100], p99 gated at 1.2x legacy and p50 at a loose 10x (so the slow candidate is held by its
   * p99, and the median is read too); a rollback above {@code rollbackAbove} if given.
   */
  static void create(String ns, Double rollbackAbove) {
    ThresholdSpec threshold = new ThresholdSpec(99.0, 20L, "10s", "2s");
    threshold.setLatency(new LatencyThresholdSpec(10.0, 1.2));
    ParallelRunSpec spec = Manifests.spec(threshold, List.of(100), Manifests.endpoint(EP, HttpMethod.GET, "/orders/{id}"));
    if (rollbackAbove != null) {
      RollbackSpec rollback = new RollbackSpec();
      rollback.setLatency(new LatencyRollbackSpec(rollbackAbove));
      spec.setRollback(rollback);
    }
    Manifests.withAnalysis(spec, null, "1s");
    client.resource(Manifests.run(ns, "orders", spec)).create();
  }

  @Test
  void aSlowCandidateWhoseBodiesMatchIsHeldWithAMessageNamingP99(TestInfo info) {
    String ns = Cluster.namespaceFor(client, info);
    create(ns, null);
    exporter.rates(ns, "orders", EP, 20, 0, 0, 0).latencies(ns, "orders", EP, 20, LEGACY, SLOW);

    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(endpoint(client, ns, "orders", EP).getMessage()).contains("p99 latency").contains("legacy > 1.2x"));
    // Held well past holdFor (2s), with a match rate that alone would have cut it over.
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", EP);
      assertThat(e.getWeight()).isZero();
      assertThat(e.getState()).isEqualTo(EndpointState.Shadowing);
      assertThat(e.getMatchRate()).isEqualTo(100.0);
      assertThat(e.getLatencyP99Ratio()).isGreaterThan(1.2);
    });
  }

  @Test
  void aCandidateAsFastAsLegacyIsCutOver(TestInfo info) {
    String ns = Cluster.namespaceFor(client, info);
    create(ns, null);
    exporter.rates(ns, "orders", EP, 20, 0, 0, 0).latencies(ns, "orders", EP, 20, LEGACY, LEGACY);

    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", EP).getState() == EndpointState.CutOver);
    var e = endpoint(client, ns, "orders", EP);
    assertThat(e.getLatencyP99Ratio()).isCloseTo(1.0, Offset.offset(0.05));
    assertThat(e.getLatencyP50Ratio()).isCloseTo(1.0, Offset.offset(0.05));
  }

  @Test
  void aLatencyBreachAfterCutoverRollsBackWithAnEventNamingTheRatio(TestInfo info) {
    String ns = Cluster.namespaceFor(client, info);
    create(ns, 2.0);
    exporter.rates(ns, "orders", EP, 20, 0, 0, 0).latencies(ns, "orders", EP, 20, LEGACY, LEGACY);
    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", EP).getState() == EndpointState.CutOver);

    // The candidate slows down after cutover; legacy, still the shadow, is still measured.
    exporter.latencies(ns, "orders", EP, 20, LEGACY, SLOW);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", EP);
      assertThat(e.getState()).isEqualTo(EndpointState.RolledBack);
      assertThat(e.getWeight()).isZero();
      // The round after the rollback, the message says what holds it at 0: the p99 gate.
      assertThat(e.getMessage()).contains("p99 latency");
    });
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      List<Event> rolledBack = Cluster.events(client, ns, "RolledBack");
      assertThat(rolledBack).hasSize(1);
      assertThat(rolledBack.get(0).getType()).isEqualTo("Warning");
      assertThat(rolledBack.get(0).getMessage()).matches(".*rolled back from weight 100: p99 latency [0-9.]+x legacy above 2x.*");
    });
    ParallelRun run = Cluster.get(client, ns, "orders");
    assertThat(run.getStatus().getEndpoints().get(0).getLatencyP99Ratio()).isGreaterThan(2.0);
  }
}
