package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parallelrun.api.metrics.Metric;
import io.parallelrun.testing.MetricsDoc;
import io.parallelrun.testing.MetricsDoc.MetricFamily;
import io.parallelrun.testing.PrometheusScrape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md lists the proxy's metrics in one table. A real proxy on 127.0.0.1 serves a compared request, one
 * that matches no endpoint and enough noisy ones for a field to be ignored as noise, and every parallelrun_* family its admin /metrics renders must be a row of that
 * table and a proxy metric of the contract in api/, with the same type and label names, and every row and every
 * contract metric must be rendered: a meter added, renamed or relabelled without the doc and the contract (or
 * the reverse) fails here.
 */
class MetricsDocTest extends ProxyTestBase {
  static final String SECTION = "## Proxy metrics";

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  @Test
  void theProxyTableOfDocsMetricsIsWhatTheProxyRenders() throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", """
          - name: get-order
            method: GET
            path: /orders/{id}
          - name: get-noisy
            method: GET
            path: /noisy/{id}
            comparator:
              noise: Ignore
              noiseIgnoreAfter: 1
              noiseProbesPerMinute: 600
        """, ""));
    proxy.assertOrdersAnswered(1);
    // Legacy differs from itself on /noisy: the first noise probe (after 20 requests, 5 %) has a field ignored.
    legacy.respond((req, body) -> req.response().putHeader("X-Served-At", String.valueOf(System.nanoTime())).end());
    for (int i = 0; i < 20; i++) assertThat(proxy.get("/noisy/" + i).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server.metrics().registry()
        .find(Metric.NOISE_IGNORED_FIELDS.meterName()).gauge() != null);
    assertThat(proxy.get("/nowhere").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons("get-order", "matched") == 1);

    Map<String, MetricFamily> rendered = PrometheusScrape.families(proxy.adminGet("/metrics").body(), "parallelrun_");
    assertThat(rendered).as("the proxy renders its own metrics").containsKey("parallelrun_comparisons_total");
    Map<String, MetricFamily> documented = MetricsDoc.section(Files.readString(MetricsDoc.file()), SECTION);

    assertThat(documented.keySet()).as("metrics in '%s' of docs/metrics.md against those the proxy renders", SECTION)
        .containsExactlyInAnyOrderElementsOf(rendered.keySet());
    assertThat(documented.values()).as("type and label names of each metric in docs/metrics.md")
        .containsExactlyInAnyOrderElementsOf(rendered.values());
    assertThat(Metric.of(Metric.Exporter.PROXY).stream().map(MetricFamily::of))
        .as("the proxy's metrics in the contract (api/, io.parallelrun.api.metrics.Metric) against those it renders")
        .containsExactlyInAnyOrderElementsOf(rendered.values());
  }
}
