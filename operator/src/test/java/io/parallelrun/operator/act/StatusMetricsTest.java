package io.parallelrun.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.operator.decide.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final StatusMetrics metrics = new StatusMetrics(registry);

  static ParallelRun run(String endpoints) {
    return Serialization.unmarshal("""
        apiVersion: parallelrun.io/v1alpha1
        kind: ParallelRun
        metadata: {name: shop, namespace: team}
        spec:
          legacy: {url: "http://127.0.0.1:1"}
          candidate: {url: "http://127.0.0.1:2"}
          defaults: {threshold: {matchRate: 97.5}}
          endpoints:
        """ + endpoints, ParallelRun.class);
  }

  static ParallelRunStatus status(int weightOfA, boolean metricsAvailable) {
    EndpointStatus a = new EndpointStatus();
    a.setName("a");
    a.setWeight(weightOfA);
    ParallelRunStatus status = new ParallelRunStatus();
    status.setEndpoints(List.of(a));
    status.setConditions(List.of(new ConditionBuilder().withType(ParallelRunStatus.METRICS_AVAILABLE)
        .withStatus(metricsAvailable ? "True" : "False").build()));
    return status;
  }

  double gauge(Metric metric, String... tags) {
    return registry.get(metric.meterName()).tags(tags).gauge().value();
  }

  @Test
  void publishesWeightsThresholdsAvailabilityAndRollbacks() {
    ParallelRun run = run("""
            - {name: a, method: GET, path: /a}
            - {name: b, method: GET, path: /b, threshold: {matchRate: 99.9}}
        """);
    metrics.publish(run, status(50, true), List.of());
    assertThat(gauge(Metric.ENDPOINT_WEIGHT, "endpoint", "a", "namespace", "team", "parallelrun", "shop")).isEqualTo(50);
    assertThat(gauge(Metric.ENDPOINT_WEIGHT, "endpoint", "b")).as("no status yet: weight 0").isZero();
    assertThat(gauge(Metric.ENDPOINT_THRESHOLD_MATCH_RATE, "endpoint", "a")).isEqualTo(97.5);
    assertThat(gauge(Metric.ENDPOINT_THRESHOLD_MATCH_RATE, "endpoint", "b")).isEqualTo(99.9);
    assertThat(gauge(Metric.METRICS_AVAILABLE, "parallelrun", "shop")).isEqualTo(1);

    metrics.publish(run, status(0, false), List.of(new Transition("a", Transition.ROLLED_BACK, true, "regressed")));
    assertThat(gauge(Metric.ENDPOINT_WEIGHT, "endpoint", "a")).isZero();
    assertThat(gauge(Metric.METRICS_AVAILABLE, "parallelrun", "shop")).isZero();
    assertThat(registry.get(Metric.ROLLBACKS.meterName()).tags("endpoint", "a").counter().count()).isEqualTo(1);
  }

  @Test
  void endpointsRemovedFromTheSpecLoseTheirSeries() {
    metrics.publish(run("""
            - {name: a, method: GET, path: /a}
            - {name: b, method: GET, path: /b}
        """), status(10, true), List.of());
    metrics.publish(run("""
            - {name: a, method: GET, path: /a}
        """), status(10, true), List.of());
    assertThat(registry.find(Metric.ENDPOINT_WEIGHT.meterName()).tags("endpoint", "b").gauge()).isNull();
    assertThat(registry.find(Metric.ENDPOINT_WEIGHT.meterName()).tags("endpoint", "a").gauge()).isNotNull();
  }

  @Test
  void publishesTheP99LatencyGateOfGatedEndpointsAndCountsLatencyRollbacksApart() {
    ParallelRun run = run("""
            - {name: a, method: GET, path: /a, threshold: {latency: {p99Ratio: 1.2}}}
            - {name: b, method: GET, path: /b}
        """);
    metrics.publish(run, status(50, true), List.of(new Transition("b", Transition.ROLLED_BACK, true, "regressed")));
    assertThat(gauge(Metric.ENDPOINT_THRESHOLD_LATENCY_P99_RATIO, "endpoint", "a")).isEqualTo(1.2);
    assertThat(registry.find(Metric.ENDPOINT_THRESHOLD_LATENCY_P99_RATIO.meterName()).tags("endpoint", "b").gauge())
        .as("no gate, no series").isNull();
    assertThat(registry.find(Metric.LATENCY_ROLLBACKS.meterName()).counter()).as("a match-rate rollback").isNull();

    metrics.publish(run, status(0, true), List.of(Transition.latencyRollback("a", "p99 latency 2.5x legacy above 2x")));
    assertThat(registry.get(Metric.LATENCY_ROLLBACKS.meterName()).tags("endpoint", "a").counter().count()).isEqualTo(1);
    assertThat(registry.get(Metric.ROLLBACKS.meterName()).tags("endpoint", "a").counter().count())
        .as("a latency rollback is a rollback").isEqualTo(1);
  }
}
