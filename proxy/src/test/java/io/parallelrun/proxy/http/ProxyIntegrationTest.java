package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.proxy.compare.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import java.util.function.BiConsumer;
import io.vertx.core.http.HttpServerRequest;

class ProxyIntegrationTest extends ProxyTestBase {
  static final String ENDPOINTS = """
        - name: get-order
          method: GET
          path: /orders/{id}
        - name: create-order
          method: POST
          path: /orders
        - name: search
          method: POST
          path: /search
          mirror: true
        - name: get-static
          method: GET
          path: /static/**
          mirror: false
      """;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  private ProxyFixture start(String status, String... flags) throws Exception {
    return startWith(legacy.url(), candidate.url(), "", status, flags);
  }

  private ProxyFixture startWith(String legacyUrl, String candidateUrl, String extra, String status, String... flags)
      throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacyUrl, candidateUrl, extra, ENDPOINTS, status), flags);
    return proxy;
  }

  @Test
  void matchingAnswersAreCountedExactly() throws Exception {
    start("");
    proxy.assertOrdersAnswered(20);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 20);
    assertThat(proxy.totalComparisons("get-order")).isEqualTo(20);
    assertThat(proxy.answered("get-order", "legacy")).isEqualTo(20);
    assertThat(proxy.answered("get-order", "candidate")).isZero();
    assertThat(candidate.shadowCount()).isEqualTo(20);
    assertThat(legacy.shadowCount()).isZero();
  }

  @Test
  void requestsMatchingNoEndpointGoToLegacyUncompared() throws Exception {
    start("");
    assertThat(proxy.get("/nowhere/1?x=1").body()).contains("/nowhere/1");
    assertThat(proxy.send("DELETE", "/orders/1", "").statusCode()).isEqualTo(200); // method does not match
    assertThat(proxy.answered(MetricLabels.NO_ROUTE_ENDPOINT, "legacy")).isEqualTo(2);
    assertThat(proxy.totalComparisons(MetricLabels.NO_ROUTE_ENDPOINT)).isZero();
    assertThat(candidate.received).isEmpty();
    String metrics = proxy.adminGet("/metrics").body();
    assertThat(metrics).doesNotContain("nowhere");
    // The wire value docs/metrics.md gives: a name no endpoint can have, and no comparison result.
    assertThat(metrics).contains("parallelrun_requests_total{endpoint=\"_no_route\"")
        .doesNotContain("endpoint=\"unmatched\"");
  }

  @Test
  void mismatchesAreCountedByAxisAndSampledRedacted() throws Exception {
    start("");
    candidate.respond((req, body) -> req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .putHeader("Set-Cookie", "session=secret-candidate").putHeader("X-Extra", "1")
        .end("{\"path\":\"" + req.path() + "\",\"len\":1}"));
    for (int i = 0; i < 5; i++) {
      assertThat(proxy.get("/orders/" + i).body()).isEqualTo("{\"path\":\"/orders/" + i + "\",\"len\":0}");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "unmatched") == 5);
    assertThat(proxy.comparisons("get-order", "matched")).isZero();
    assertThat(proxy.mismatches("get-order", "status")).isEqualTo(5);
    assertThat(proxy.mismatches("get-order", "headers")).isEqualTo(5);
    assertThat(proxy.mismatches("get-order", "body")).isEqualTo(5);

    JsonNode samples = Json.MAPPER.readTree(proxy.adminGet("/mismatches").body());
    JsonNode list = samples.path("endpoints").path("get-order");
    assertThat(list.size()).isEqualTo(5);
    String text = list.toString();
    assertThat(text).doesNotContain("secret-candidate").contains("[REDACTED:").contains("/body/len").contains("/status");
  }

  @Test
  void mirrorFalseNeverReachesTheShadowSide() throws Exception {
    start("""
          - name: get-static
            weight: 50
        """);
    for (int i = 0; i < 40; i++) {
      assertThat(proxy.get("/static/app.js").statusCode()).isEqualTo(200);
    }
    assertThat(legacy.shadowCount() + candidate.shadowCount()).isZero();
    assertThat(legacy.received.size() + candidate.received.size()).isEqualTo(40);
    assertThat(proxy.totalComparisons("get-static")).isZero();
    // POST defaults to mirror: false as well
    assertThat(proxy.send("POST", "/orders", "{\"a\":1}").statusCode()).isEqualTo(200);
    assertThat(candidate.shadowCount()).isZero();
  }

  @Test
  void postBodiesAreReplayedToTheShadow() throws Exception {
    start("");
    String body = "{\"q\":\"" + "x".repeat(5000) + "\"}";
    HttpResponse<String> r = proxy.send("POST", "/search", body);
    assertThat(r.body()).isEqualTo("{\"path\":\"/search\",\"len\":" + body.length() + "}");
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("search", "matched") == 1);
    assertThat(candidate.received.get(0).body().toString()).isEqualTo(body);
    assertThat(candidate.received.get(0).headers().get("X-Parallel-Run")).isEqualTo("shadow");
  }

  @Test
  void bodiesOverTheLimitPassThroughAndCountAsSkipped() throws Exception {
    start("", "--max-body-bytes", "1000");
    String big = "y".repeat(5000);
    HttpResponse<String> r = proxy.send("POST", "/search", big);
    assertThat(r.body()).isEqualTo("{\"path\":\"/search\",\"len\":5000}");
    assertThat(legacy.received.get(0).body().length()).isEqualTo(5000);
    // chunked, no Content-Length: overflows while reading
    HttpResponse<String> chunked = ProxyFixture.HTTP.send(HttpRequest.newBuilder(proxy.uri("/search"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.body()).isEqualTo("{\"path\":\"/search\",\"len\":5000}");
    assertThat(proxy.comparisons("search", "skipped")).isEqualTo(2);
    assertThat(candidate.received).isEmpty();
    // a response over the limit is streamed to the client and skipped too
    legacy.respond((req, body) -> req.response().putHeader("Content-Type", "text/plain").end("z".repeat(3000)));
    assertThat(proxy.get("/orders/1").body()).hasSize(3000);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "skipped") == 1);
  }

  @Test
  void refusingCandidateChangesNothingForTheClientAndCountsFailed() throws Exception {
    int closedPort = closedPort();
    startWith(legacy.url(), "http://127.0.0.1:" + closedPort, "", "");
    proxy.assertOrdersAnswered(10);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "failed") == 10);
    assertThat(proxy.comparisons("get-order", "unmatched")).isZero();
  }

  @Test
  void slowCandidateTimesOutAsFailedWithoutDelayingTheClient() throws Exception {
    // The candidate never answers. Every client is answered while no shadow has yet timed out, so no client
    // waited for its shadow; then each shadow times out and counts as failed.
    start("", "--shadow-timeout", "2s");
    HeldAnswers held = new HeldAnswers();
    candidate.respond(held);
    for (int i = 0; i < 5; i++) {
      assertThat(proxy.get("/orders/" + i).body()).isEqualTo("{\"path\":\"/orders/" + i + "\",\"len\":0}");
    }
    assertThat(proxy.totalComparisons("get-order")).isZero();
    await().atMost(Duration.ofSeconds(8)).until(() -> proxy.comparisons("get-order", "failed") == 5);
  }

  @Test
  void garbageCandidateChangesNothingForTheClient() throws Exception {
    NetServer garbage = vertx.createNetServer().connectHandler(sock -> sock.handler(b -> {
      sock.write("NOT HTTP AT ALL\r\n\u0000\u0001\r\n\r\n");
      sock.close();
    }));
    garbage.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    try {
      startWith(legacy.url(), "http://127.0.0.1:" + garbage.actualPort(), "", "");
      proxy.assertOrdersAnswered(5);
      await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "failed") == 5);
    } finally {
      garbage.close();
    }
  }

  @Test
  void refusingCandidateThatAnswersFallsBackToLegacyForEveryMethod() throws Exception {
    int closedPort = closedPort();
    startWith(legacy.url(), "http://127.0.0.1:" + closedPort, "", """
          - name: get-order
            weight: 100
          - name: create-order
            weight: 100
        """);
    proxy.assertOrdersAnswered(5);
    // A write the candidate never received (no connection) is safe to hand to legacy: it runs exactly once.
    HttpResponse<String> created = proxy.send("POST", "/orders", "{\"item\":1}");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(legacy.received).filteredOn(r -> r.method().equals("POST")).hasSize(1);

    assertThat(proxy.fallbacks("get-order")).isEqualTo(5);
    assertThat(proxy.fallbacks("create-order")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "failed") == 5);
  }

  @Test
  void candidateThatAnswersAndResetsFallsBackToLegacyForSafeMethodsOnly() throws Exception {
    NetServer resetting = vertx.createNetServer().connectHandler(sock -> sock.handler(b -> sock.close()));
    resetting.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    try {
      startWith(legacy.url(), "http://127.0.0.1:" + resetting.actualPort(), "", """
            - name: get-order
              weight: 100
            - name: create-order
              weight: 100
          """);
      HttpResponse<String> r = proxy.get("/orders/7");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"path\":\"/orders/7\",\"len\":0}");
      assertThat(proxy.fallbacks("get-order")).isEqualTo(1);

      // The candidate may have executed this write before it failed: sending it to legacy too could run it twice.
      assertThat(proxy.send("POST", "/orders", "{\"item\":1}").statusCode()).isEqualTo(502);
      assertThat(legacy.received).noneMatch(req -> req.method().equals("POST"));
      assertThat(proxy.fallbacks("create-order")).isZero();
    } finally {
      resetting.close();
    }
  }

  @Test
  void legacyDownIsA502WithinTheConnectTimeout() throws Exception {
    int closedPort = closedPort();
    startWith("http://127.0.0.1:" + closedPort, candidate.url(), "", "", "--connect-timeout", "1s");
    long t0 = System.nanoTime();
    assertThat(proxy.get("/orders/1").statusCode()).isEqualTo(502);
    assertThat(proxy.get("/unknown").statusCode()).isEqualTo(502);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "failed") == 1);
  }

  @Test
  void gzipAnswersCompareByContent() throws Exception {
    start("");
    String json = "{\"b\":[1,2],\"a\":1.0}";
    legacy.respond((req, body) -> req.response().putHeader("Content-Type", "application/json")
        .putHeader("Content-Encoding", "gzip").end(Buffer.buffer(gzip(json))));
    candidate.respond((req, body) -> req.response().putHeader("Content-Type", "application/json")
        .end("{\"a\":1,\"b\":[1,2]}"));
    HttpResponse<byte[]> r = ProxyFixture.HTTP.send(HttpRequest.newBuilder(proxy.uri("/orders/1")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(r.body()).isEqualTo(gzip(json));
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 1);
  }

  @Test
  void candidateAnswersItsWeightAndLegacyBecomesTheShadow() throws Exception {
    start("""
          - name: get-order
            weight: 100
        """);
    HttpResponse<String> r = proxy.get("/orders/1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(candidate.received).hasSize(1);
    assertThat(candidate.shadowCount()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> legacy.shadowCount() == 1);
    assertThat(proxy.answered("get-order", "candidate")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 1);
  }

  @Test
  void shadowsBeyondABusyShadowPoolAreShedAtOnceAndCountedAsDropped() throws Exception {
    // One connection and one waiting place per backend for shadows: the first shadow holds the connection,
    // the second waits for it, the third to fifth are shed instead of queueing behind them.
    // The candidate holds its answers until the drops are counted, so the test does not depend on five
    // requests finishing before a timer frees the connection.
    start("", "--event-loops", "1", "--shadow-event-loops", "1", "--pool-size", "1", "--shadow-timeout", "10s");
    HeldAnswers held = new HeldAnswers();
    candidate.respond(held);
    for (int i = 0; i < 5; i++) {
      assertThat(proxy.get("/orders/" + i).statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.dropped("get-order") == 3);
    assertThat(proxy.dropped("get-order", "shadow_pool_full")).isEqualTo(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> held.count() == 1); // the first holds the only connection
    held.releaseAll(); // and frees it for the second, which was waiting
    await().atMost(Duration.ofSeconds(5)).until(() -> held.count() == 1);
    held.releaseAll();
    await().atMost(Duration.ofSeconds(8)).until(() -> proxy.comparisons("get-order", "matched") == 2);
    assertThat(proxy.totalComparisons("get-order")).isEqualTo(2);
    assertThat(proxy.comparisons("get-order", "failed")).isZero();
    assertThat(candidate.shadowCount()).isEqualTo(2);
  }

  @Test
  void overflowOfInFlightComparisonsIsDroppedAndCounted() throws Exception {
    start("", "--max-in-flight-comparisons", "1", "--shadow-timeout", "10s");
    HeldAnswers held = new HeldAnswers();
    candidate.respond(held);
    for (int i = 0; i < 5; i++) {
      assertThat(proxy.get("/orders/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(proxy.dropped("get-order")).isEqualTo(4);
    assertThat(proxy.dropped("get-order", "in_flight_limit")).isEqualTo(4);
    await().atMost(Duration.ofSeconds(5)).until(() -> held.count() == 1); // the one shadow sent may still be on its way
    held.releaseAll();
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 1);
    assertThat(proxy.totalComparisons("get-order")).isEqualTo(1);
  }

  @Test
  void malformedRequestsGetA400AndTheProxyKeepsWorking() throws Exception {
    start("");
    assertThat(raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.").contains(" 400 ");
    assertThat(raw("GET /orders/1 HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")).contains(" 400 ");
    assertThat(raw("GET /" + "a".repeat(10000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).contains(" 414 ");
    assertThat(proxy.get("/orders/1").statusCode()).isEqualTo(200);
  }

  @Test
  void comparatorRulesFromTheManifestApplyMergedOverDefaults() throws Exception {
    startWith(legacy.url(), candidate.url(), """
          defaults:
            comparator:
              ignoreHeaders: [X-Version]
              ignoreJsonPaths: ["$.meta.generatedAt"]
          dataProtection:
            redactJsonPaths: ["$.customer.email"]
        """, "");
    legacy.respond((req, body) -> req.response().putHeader("Content-Type", "application/json").putHeader("X-Version", "1")
        .end("{\"id\":1,\"tags\":[\"a\",\"b\"],\"meta\":{\"generatedAt\":\"t1\"},\"customer\":{\"email\":\"a@x.io\"}}"));
    candidate.respond((req, body) -> req.response().putHeader("Content-Type", "application/json").putHeader("X-Version", "2")
        .end("{\"tags\":[\"a\",\"b\"],\"id\":1.0,\"meta\":{\"generatedAt\":\"t2\"},\"customer\":{\"email\":\"a@x.io\"}}"));
    proxy.get("/orders/1");
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 1);
    // a differing value at a redacted path is a mismatch whose sample does not show the value
    candidate.respond((req, body) -> req.response().putHeader("Content-Type", "application/json")
        .end("{\"id\":1,\"tags\":[\"a\",\"b\"],\"customer\":{\"email\":\"b@y.io\"}}"));
    proxy.get("/orders/2");
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "unmatched") == 1);
    assertThat(proxy.mismatches("get-order", "body")).isEqualTo(1);
    assertThat(proxy.mismatches("get-order", "headers")).isZero(); // X-Version is ignored, present or not
    String samples = proxy.adminGet("/mismatches").body();
    assertThat(samples).contains("/body/customer/email", "[REDACTED:").doesNotContain("a@x.io", "b@y.io");
  }

  @Test
  void headAndNoContentAnswersPassThrough() throws Exception {
    start("");
    HttpResponse<String> head = ProxyFixture.HTTP.send(HttpRequest.newBuilder(proxy.uri("/orders/1"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    legacy.respond((req, body) -> req.response().setStatusCode(204).end());
    candidate.respond((req, body) -> req.response().setStatusCode(204).end());
    assertThat(proxy.get("/orders/2").statusCode()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 1);
  }

  @Test
  void adminEndpoints() throws Exception {
    start("");
    proxy.get("/orders/1");
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 1);
    HttpResponse<String> metrics = proxy.adminGet("/metrics");
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("parallelrun_comparisons_total{endpoint=\"get-order\",namespace=\"team-a\",parallelrun=\"shop\",result=\"matched\"} 1.0")
        .contains("parallelrun_mismatches_total{axis=\"body\",endpoint=\"get-order\",namespace=\"team-a\",parallelrun=\"shop\"} 0.0")
        .contains("parallelrun_upstream_latency_seconds_bucket{endpoint=\"get-order\",namespace=\"team-a\",parallelrun=\"shop\",side=\"candidate\"")
        .contains("parallelrun_requests_total{endpoint=\"get-order\",namespace=\"team-a\",parallelrun=\"shop\",side=\"legacy\"} 1.0")
        .contains("parallelrun_shadows_dropped_total{endpoint=\"get-order\",namespace=\"team-a\",parallelrun=\"shop\",reason=\"in_flight_limit\"} 0.0")
        .contains("parallelrun_shadows_dropped_total{endpoint=\"get-order\",namespace=\"team-a\",parallelrun=\"shop\",reason=\"shadow_pool_full\"} 0.0");
    assertThat(proxy.adminGet("/healthz").statusCode()).isEqualTo(200);
    assertThat(proxy.adminGet("/readyz").statusCode()).isEqualTo(200);
    assertThat(proxy.adminGet("/mismatches").body()).isEqualTo("{\"endpoints\":{}}");
  }

  private String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.server.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) > 0) {
        got.write(buf, 0, n);
        if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) break;
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** A loopback port nothing listens on: connections to it are refused. */
  static int closedPort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static byte[] gzip(String s) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(s.getBytes(StandardCharsets.UTF_8));
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A candidate that answers as legacy does ({@code path}, {@code len} 0), but only when the test releases it. */
  private static final class HeldAnswers implements BiConsumer<HttpServerRequest, Buffer> {
    private final Queue<HttpServerRequest> waiting = new ConcurrentLinkedQueue<>();

    @Override
    public void accept(HttpServerRequest req, Buffer body) {
      waiting.add(req);
    }

    int count() {
      return waiting.size();
    }

    void releaseAll() {
      for (HttpServerRequest req; (req = waiting.poll()) != null; ) {
        req.response().putHeader("Content-Type", "application/json").end("{\"path\":\"" + req.path() + "\",\"len\":0}");
      }
    }
  }
}
