package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RealParts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A pod can export any label it likes, so the match rate of shop/orders must be read only from series that
 * Prometheus itself attributes to a proxy pod of shop/orders (its target labels namespace and pod), never from
 * the namespace and parallelrun labels a pod exports. Here a real Prometheus scrapes the honest proxy (50 %
 * match, every mismatch at body:$.total) and two forgers exporting a perfect match, and mismatches and noise at a
 * header, for shop/orders: the candidate's pod in the same namespace,
 * and a pod in another namespace named like the proxy.
 */
@RealParts
class HonestMetricsTest {
  @Test
  void forgedSeriesFromOtherPodsDoNotCount() {
    assumeTrue(PrometheusProcess.available(), "needs " + PrometheusProcess.binary());
    try (ComparisonExporter honest = new ComparisonExporter();
        ComparisonExporter forger = new ComparisonExporter();
        PrometheusProcess prometheus = PrometheusProcess.startWith(List.of(
            honest.proxyPod("shop", "orders"),
            PrometheusProcess.Target.pod(forger.target(), ComparisonExporter.path("shop", "orders"), "shop",
                "candidate-7b8c9d6f5-qwert"),
            PrometheusProcess.Target.pod(forger.target(), ComparisonExporter.path("shop", "orders"), "evil",
                "orders-proxy-6d5f8b9c7-zzzzz")), Duration.ofSeconds(1))) {
      honest.rates("shop", "orders", "a", 20, 20, 0, 0).fields("shop", "orders", "a", "body:$.total", 20, 0);
      forger.rates("shop", "orders", "a", 1000, 0, 0, 0).fields("shop", "orders", "a", "header:x-forged", 1000, 1000);
      var run = Manifests.run("shop", "orders", Manifests.withAnalysis(
          Manifests.spec(new ThresholdSpec(null, null, "10s", null), null, Manifests.endpoint("a", HttpMethod.GET, "/a")),
          prometheus.url(), "1s"));

      AtomicReference<ComparisonCounts> counts = new AtomicReference<>();
      AtomicReference<Optional<FieldCounts>> fields = new AtomicReference<>();
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
        ObservedMetrics metrics = new MetricsObserver(new PrometheusClient(Duration.ofSeconds(2)), Optional.empty(),
            MetricsObserver.Instruments.NONE).observe(run, Instant.now()).metrics();
        if (!(metrics instanceof ObservedMetrics.Available available)) return false;
        counts.set(available.countsFor("a"));
        fields.set(available.fieldsFor("a"));
        return counts.get().samples() >= 80 && fields.get().map(f -> !f.mismatched().isEmpty()).orElse(false);
      });
      assertThat(counts.get().matchRate()).as("only the proxy pod of shop/orders counts: %s", counts.get())
          .isBetween(40.0, 60.0);
      assertThat(fields.get().orElseThrow().mismatched()).as("nor do its differing fields").containsOnlyKeys("body:$.total");
      assertThat(fields.get().orElseThrow().noise()).isEmpty();
    }
  }
}
