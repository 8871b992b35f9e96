package io.parallelrun.operator.it;

import static io.parallelrun.operator.support.Cluster.condition;
import static io.parallelrun.operator.support.Cluster.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.operator.decide.Times;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RealParts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens when parts go away: Prometheus stops, the operator is restarted mid-hold. Each test gets its own
 * Prometheus and operator, since both are stopped on purpose.
 */
@EnableKubeAPIServer
@RealParts
class ResilienceOnApiServerTest {
  static KubernetesClient client;
  ComparisonExporter exporter;
  PrometheusProcess prometheus;
  ParallelRunOperator operator;

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @BeforeAll
  static void installCrd() {
    Cluster.applyCrd(client);
  }

  @BeforeEach
  void start() {
    exporter = new ComparisonExporter();
    prometheus = PrometheusProcess.startWith(List.of(), Duration.ofSeconds(1));
    exporter.scrapedBy(prometheus);
    operator = Cluster.startOperator(client, prometheus.url());
  }

  @AfterEach
  void stop() {
    if (operator != null) operator.close();
    prometheus.close();
    exporter.close();
  }

  static void create(String ns, ParallelRunSpec spec) {
    Cluster.createNamespace(client, ns);
    client.resource(Manifests.run(ns, "orders", Manifests.withAnalysis(spec, null, "1s"))).create();
  }

  @Test
  void prometheusStoppedFreezesWeightsAndSaysSoThenResumes() {
    String ns = "prometheus-stopped";
    create(ns, Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "3s"), List.of(50, 100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> Integer.valueOf(50).equals(endpoint(client, ns, "orders", "get-order").getWeight()));

    prometheus.stop();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        "False/QueryFailed".equals(condition(client, ns, "orders", ParallelRunStatus.METRICS_AVAILABLE)));
    // The 3s hold at 50 would have ended by now: without data nothing moves, in either direction.
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      EndpointStatus e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getWeight()).isEqualTo(50);
      assertThat(e.getReadySince()).as("hold restarts when data is back").isNull();
    });
    var status = Cluster.get(client, ns, "orders").getStatus();
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(client, ns, "orders", ParallelRunStatus.PROGRESSING)).isEqualTo("False/MetricsUnavailable");

    prometheus.startAgain();
    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.CutOver);
    assertThat(condition(client, ns, "orders", ParallelRunStatus.METRICS_AVAILABLE)).isEqualTo("True/QuerySucceeded");
  }

  @Test
  void operatorRestartedMidHoldContinuesTheSameHoldWithoutRepeatingOrSkippingAStep() throws Exception {
    String ns = "operator-restarted";
    create(ns, Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "6s"), List.of(25, 100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);

    AtomicReference<String> readySince = new AtomicReference<>();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      EndpointStatus e = endpoint(client, ns, "orders", "get-order");
      readySince.set(e.getReadySince());
      return e.getState() == EndpointState.Ready;
    });
    operator.close();
    operator = null;
    Thread.sleep(2000); // the operator is down for part of the hold (a scenario step, not an assertion)
    operator = Cluster.startOperator(client, prometheus.url());

    AtomicReference<String> stepAt = new AtomicReference<>();
    java.util.Set<String> holdStartsSeenAtZero = java.util.concurrent.ConcurrentHashMap.newKeySet();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      EndpointStatus e = endpoint(client, ns, "orders", "get-order");
      if (Integer.valueOf(0).equals(e.getWeight()) && e.getReadySince() != null) holdStartsSeenAtZero.add(e.getReadySince());
      stepAt.set(e.getReadySince()); // a step restarts the hold: readySince is the time of the step
      return Integer.valueOf(25).equals(e.getWeight());
    });
    Instant stepSeen = Instant.now();
    Instant holdStart = Times.parse(readySince.get());
    // Continued, not restarted: the restarted operator kept the hold start it found in status...
    assertThat(holdStartsSeenAtZero).containsOnly(readySince.get());
    // ...and stepped once the hold was over, counted from that start.
    assertThat(Duration.between(holdStart, stepSeen)).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    assertThat(Duration.between(holdStart, Times.parse(stepAt.get()))).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    // Exactly one step, not skipped to 100 nor repeated.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(endpoint(client, ns, "orders", "get-order").getWeight()).isEqualTo(25));
    assertThat(client.v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "Promoted".equals(e.getReason())).hasSize(1);
  }
}
