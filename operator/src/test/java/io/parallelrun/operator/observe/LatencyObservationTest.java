package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.LatencyThresholdSpec;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Manifests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observer asks the latency quantiles with exactly one more query per interval, and only for runs with latency
 * settings; a failing latency query leaves the match rates standing and only the latency data missing. A stand-in
 * Prometheus on 127.0.0.1 (it records every query), the real client and observer.
 */
class LatencyObservationTest {
  HttpServer server;
  final List<String> queries = new CopyOnWriteArrayList<>();
  final AtomicBoolean latencyFails = new AtomicBoolean();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/query", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  void answer(HttpExchange ex) throws IOException {
    String query = URLDecoder.decode(URI.create("http://x" + ex.getRequestURI()).getRawQuery().substring("query=".length()),
        StandardCharsets.UTF_8);
    queries.add(query);
    boolean latency = query.contains("histogram_quantile");
    if (latency && latencyFails.get()) {
      reply(ex, 500, "{\"status\":\"error\",\"error\":\"boom\"}");
      return;
    }
    reply(ex, 200, latency
        ? PrometheusClientTest.vector(quantile("0.5", "legacy", "0.1"), quantile("0.5", "candidate", "0.11"),
            quantile("0.99", "legacy", "0.2"), quantile("0.99", "candidate", "0.5"))
        : PrometheusClientTest.vector(PrometheusClientTest.element("a", "matched", "100")));
  }

  static String quantile(String quantile, String side, String seconds) {
    return "{\"metric\":{\"endpoint\":\"a\",\"side\":\"" + side + "\",\"quantile\":\"" + quantile
        + "\"},\"value\":[1700000000.1,\"" + seconds + "\"]}";
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  ParallelRun run(boolean gated) {
    EndpointSpec a = Manifests.endpoint("a", HttpMethod.GET, "/a");
    if (gated) {
      ThresholdSpec threshold = new ThresholdSpec();
      threshold.setLatency(new LatencyThresholdSpec(1.1, 1.2));
      a.setThreshold(threshold);
    }
    return Manifests.run("shop", "orders", Manifests.withAnalysis(Manifests.spec(null, null, a),
        "http://127.0.0.1:" + server.getAddress().getPort(), "30s"));
  }

  final MetricsObserver observer = new MetricsObserver(new PrometheusClient(Duration.ofSeconds(5)), Optional.empty(),
      MetricsObserver.Instruments.NONE);

  @Test
  void aRunWithoutLatencySettingsCostsOneQueryPerInterval() {
    Instant now = Instant.now();
    ObservedMetrics metrics = observer.observe(run(false), now).metrics();
    observer.observe(run(false), now.plusSeconds(10));
    assertThat(queries).hasSize(1).allSatisfy(q -> assertThat(q).doesNotContain("latency"));
    assertThat(((ObservedMetrics.Available) metrics).latencyFor("a")).isEqualTo(LatencyRatios.NONE);
  }

  @Test
  void aGatedRunCostsExactlyOneMoreQueryPerIntervalAndGetsItsRatios() {
    Instant now = Instant.now();
    ObservedMetrics metrics = observer.observe(run(true), now).metrics();
    observer.observe(run(true), now.plusSeconds(10));
    assertThat(queries).hasSize(2);
    assertThat(queries.get(1)).contains("parallelrun_compared_latency_seconds_bucket").contains("0.5").contains("0.99");
    LatencyRatios ratios = ((ObservedMetrics.Available) metrics).latencyFor("a");
    assertThat(ratios.p50Ratio()).isCloseTo(1.1, Offset.offset(1e-9));
    assertThat(ratios.p99Ratio()).isCloseTo(2.5, Offset.offset(1e-9));

    observer.observe(run(true), now.plusSeconds(31));
    assertThat(queries).as("the next interval: both again").hasSize(4);
  }

  @Test
  void aFailingLatencyQueryLeavesTheMatchRatesAndOnlyTheLatencyDataMissing() {
    latencyFails.set(true);
    ObservedMetrics metrics = observer.observe(run(true), Instant.now()).metrics();
    assertThat(metrics).isInstanceOf(ObservedMetrics.Available.class);
    ObservedMetrics.Available available = (ObservedMetrics.Available) metrics;
    assertThat(available.countsFor("a").matched()).isEqualTo(100);
    assertThat(available.latencyFor("a")).isEqualTo(LatencyRatios.NONE);
  }
}
