package io.parallelrun.operator.it;

import static io.parallelrun.operator.support.Cluster.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.parallelrun.api.ComparatorSpec;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.NoiseMode;
import io.parallelrun.api.ParallelRunSpec;
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
 * status.endpoints[].differences, ignoredNoise and the message that names the top field, with the operator
 * in-process against a real kube-apiserver, reading a real Prometheus that scrapes the test exporter's per-field
 * series as a proxy pod of the run would export them. Window 10s, holdFor 2s, interval 1s, 20 comparisons a second.
 */
@EnableKubeAPIServer
@RealParts
class DifferencesOnApiServerTest {
  static KubernetesClient client;
  static ExporterStack stack;
  static ComparisonExporter exporter;

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

  static void create(String ns, NoiseMode noise) {
    EndpointSpec endpoint = Manifests.endpoint(EP, HttpMethod.GET, "/orders/{id}");
    if (noise != null) {
      ComparatorSpec comparator = new ComparatorSpec();
      comparator.setNoise(noise);
      endpoint.setComparator(comparator);
    }
    ParallelRunSpec spec = Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "2s"), List.of(100), endpoint);
    Manifests.withAnalysis(spec, null, "1s");
    client.resource(Manifests.run(ns, "orders", spec)).create();
  }

  @Test
  void aHeaderThatIsNoiseIsNamedWithTheRuleThatLeavesItOut(TestInfo info) {
    String ns = Cluster.namespaceFor(client, info);
    create(ns, null);
    // Every comparison differs at the header naming the side; legacy's own answers differ there too.
    exporter.rates(ns, "orders", EP, 0, 20, 0, 0).fields(ns, "orders", EP, "header:x-served-by", 20, 1)
        .fields(ns, "orders", EP, "body:$.total", 2, 0);

    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", EP);
      assertThat(e.getDifferences()).hasSize(2);
      FieldDifference top = e.getDifferences().get(0);
      assertThat(top.getField()).isEqualTo("header:x-served-by");
      assertThat(top.getPercent()).isCloseTo(100.0, Offset.offset(5.0));
      assertThat(top.getNoise()).isTrue();
      assertThat(top.getSuggestion()).isEqualTo("ignoreHeaders: [x-served-by]");
      FieldDifference second = e.getDifferences().get(1);
      assertThat(second.getField()).isEqualTo("body:$.total");
      assertThat(second.getPercent()).isCloseTo(10.0, Offset.offset(5.0));
      assertThat(second.getNoise()).isFalse();
      assertThat(second.getSuggestion()).isNull();
      assertThat(e.getMessage()).matches("match rate 0% below the threshold 99%: [0-9.]+% differ at header:x-served-by"
          + " \\(noise: legacy differs from itself; suggest ignoreHeaders: \\[x-served-by]\\)");
      assertThat(e.getState()).isEqualTo(EndpointState.Shadowing);
    });
  }

  @Test
  void aRealDifferenceIsNamedAsSuchAndGoesOnceEveryComparisonMatches(TestInfo info) {
    String ns = Cluster.namespaceFor(client, info);
    create(ns, null);
    exporter.rates(ns, "orders", EP, 10, 10, 0, 0).fields(ns, "orders", EP, "body:$.total", 10, 0);

    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", EP);
      assertThat(e.getDifferences()).singleElement().satisfies(d -> {
        assertThat(d.getField()).isEqualTo("body:$.total");
        assertThat(d.getPercent()).isCloseTo(50.0, Offset.offset(10.0));
        assertThat(d.getNoise()).isFalse();
      });
      assertThat(e.getMessage()).matches("match rate [0-9.]+% below the threshold 99%: [0-9.]+% differ at body:\\$\\.total");
    });

    // The candidate is fixed: once the window holds only matches, the differences go and it cuts over.
    exporter.rates(ns, "orders", EP, 20, 0, 0, 0).fields(ns, "orders", EP, "body:$.total", 0, 0);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", EP);
      assertThat(e.getState()).isEqualTo(EndpointState.CutOver);
      assertThat(e.getDifferences()).isNull();
      assertThat(e.getMessage()).doesNotContain("differ at");
    });
  }

  @Test
  void noiseTheProxyIgnoresIsListedWhileEveryComparisonMatches(TestInfo info) {
    String ns = Cluster.namespaceFor(client, info);
    create(ns, NoiseMode.Ignore);
    exporter.rates(ns, "orders", EP, 20, 0, 0, 0).ignored(ns, "orders", EP, "header:x-served-by")
        .ignored(ns, "orders", EP, "body:$.generatedAt");

    await().atMost(TIMEOUT).untilAsserted(() -> {
      var e = endpoint(client, ns, "orders", EP);
      assertThat(e.getIgnoredNoise()).containsExactly("body:$.generatedAt", "header:x-served-by");
      assertThat(e.getDifferences()).isNull();
      assertThat(e.getState()).isEqualTo(EndpointState.CutOver);
    });
  }
}
