package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Manifests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client and the observer against a fake Prometheus HTTP API whose answers each test sets. */
class PrometheusClientTest {
  HttpServer server;
  final AtomicReference<String> body = new AtomicReference<>();
  final AtomicReference<Integer> status = new AtomicReference<>(200);
  final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  final AtomicReference<String> lastQuery = new AtomicReference<>();
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startFakePrometheus() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/query", ex -> {
      requests.incrementAndGet();
      lastQuery.set(ex.getRequestURI().getQuery());
      try {
        Thread.sleep(delay.get().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      } catch (IOException ignored) {
        // the client gave up (timeout test)
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static String vector(String... elements) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + String.join(",", elements) + "]}}";
  }

  static String element(String endpoint, String result, String value) {
    return "{\"metric\":{\"endpoint\":\"" + endpoint + "\",\"result\":\"" + result + "\"},\"value\":[1700000000.1,\"" + value + "\"]}";
  }

  @Test
  void readsAnInstantVector() throws Exception {
    body.set(vector(element("a", "matched", "99.6"), element("a", "unmatched", "NaN")));
    List<PrometheusClient.Sample> samples = new PrometheusClient(Duration.ofSeconds(2)).query(url() + "/", "up");
    assertThat(samples).hasSize(2);
    assertThat(samples.get(0).labels()).containsEntry("endpoint", "a").containsEntry("result", "matched");
    assertThat(samples.get(0).value()).isEqualTo(99.6);
    assertThat(samples.get(1).value()).isNaN();
    assertThat(lastQuery.get()).isEqualTo("query=up");
  }

  @Test
  void errorsAndTimeoutsHaveReasons() {
    status.set(400);
    body.set("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");
    assertThatThrownBy(() -> new PrometheusClient(Duration.ofSeconds(2)).query(url(), "up("))
        .isInstanceOfSatisfying(PrometheusClient.QueryException.class, e -> {
          assertThat(e.reason()).isEqualTo("QueryFailed");
          assertThat(e.getMessage()).contains("400").contains("parse error");
        });

    status.set(200);
    body.set(vector());
    delay.set(Duration.ofSeconds(2));
    // No answer in time reads like no answer at all (status must not tell an open port from a closed one);
    // the log and the operator's own metrics still say it timed out.
    assertThatThrownBy(() -> new PrometheusClient(Duration.ofMillis(300)).query(url(), "up"))
        .isInstanceOfSatisfying(PrometheusClient.QueryException.class, e -> {
          assertThat(e.reason()).isEqualTo("QueryFailed");
          assertThat(e.timedOut()).isTrue();
          assertThat(e.statusMessage()).isEqualTo("Prometheus unreachable or timed out");
        });

    assertThatThrownBy(() -> new PrometheusClient(Duration.ofSeconds(1)).query("http://127.0.0.1:1", "up"))
        .isInstanceOfSatisfying(PrometheusClient.QueryException.class, e -> assertThat(e.reason()).isEqualTo("QueryFailed"));
  }

  @Test
  void observerQueriesOncePerIntervalAndSumsReplicas() {
    var run = Manifests.run("shop", "orders", Manifests.withAnalysis(
        Manifests.spec(new ThresholdSpec(null, null, "30s", null), null, Manifests.endpoint("a", HttpMethod.GET, "/a")),
        url(), "30s"));
    body.set(vector(element("a", "matched", "90.4"), element("a", "failed", "9.6"), element("a", "skipped", "3")));
    MetricsObserver observer = new MetricsObserver(new PrometheusClient(Duration.ofSeconds(2)), Optional.empty(),
        MetricsObserver.Instruments.NONE);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    var first = observer.observe(run, t0);
    assertThat(first.metrics()).isEqualTo(ObservedMetrics.available(Map.of("a", new ComparisonCounts(90, 0, 10, 3))));
    assertThat(first.nextQueryAt()).isEqualTo(t0.plusSeconds(30));
    observer.observe(run, t0.plusSeconds(29));
    assertThat(requests.get()).as("reuses the answer within the interval").isEqualTo(1);
    observer.observe(run, t0.plusSeconds(30));
    assertThat(requests.get()).isEqualTo(2);
    observer.observe(run, t0.plusSeconds(10));
    assertThat(requests.get()).as("a clock stepped back does not stretch the cache").isEqualTo(3);

    body.set(vector());
    var empty = observer.observe(run, t0.plusSeconds(100));
    assertThat(empty.metrics()).isInstanceOfSatisfying(ObservedMetrics.Unavailable.class,
        u -> assertThat(u.reason()).isEqualTo("NoData"));
  }

  @Test
  void withoutAnyPrometheusUrlTheReasonSaysSo() {
    var run = Manifests.run("shop", "orders",
        Manifests.spec(null, null, Manifests.endpoint("a", HttpMethod.GET, "/a")));
    var observation = new MetricsObserver(new PrometheusClient(Duration.ofSeconds(1)), Optional.empty(),
        MetricsObserver.Instruments.NONE).observe(run, Instant.now());
    assertThat(observation.metrics()).isInstanceOfSatisfying(ObservedMetrics.Unavailable.class,
        u -> assertThat(u.reason()).isEqualTo("NoPrometheusUrl"));
  }
}
