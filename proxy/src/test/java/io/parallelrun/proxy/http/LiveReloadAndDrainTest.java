package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import io.vertx.core.buffer.Buffer;
import java.util.function.BiConsumer;
import io.vertx.core.http.HttpServerRequest;

class LiveReloadAndDrainTest extends ProxyTestBase {
  static final String ENDPOINTS = """
        - name: get-order
          method: GET
          path: /orders/{id}
      """;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return (req, body) -> req.response().putHeader("Content-Type", "application/json").end("{\"v\":1}");
  }

  private String manifest(int weight) {
    return ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, """
          - name: get-order
            weight: %d
        """.formatted(weight));
  }

  @Test
  void weightsAreHonouredStatistically() throws Exception {
    proxy = new ProxyFixture(manifest(30));
    int n = 600;
    for (int i = 0; i < n; i++) {
      assertThat(proxy.get("/orders/" + i).statusCode()).isEqualTo(200);
    }
    double candidateShare = proxy.answered("get-order", "candidate") / n;
    // binomial(600, 0.3): sd ~ 1.9%; 5 sd bounds
    assertThat(candidateShare).isBetween(0.30 - 0.095, 0.30 + 0.095);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == n);
  }

  @Test
  void weightChangesApplyLiveWithoutAFailedRequest() throws Exception {
    proxy = new ProxyFixture(manifest(0));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger bad = new AtomicInteger();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(CompletableFuture.runAsync(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> r = proxy.get("/orders/1");
            if (r.statusCode() == 200 && r.body().equals("{\"v\":1}")) ok.incrementAndGet(); else bad.incrementAndGet();
          } catch (Exception e) {
            bad.incrementAndGet();
          }
        }
      }));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> ok.get() > 100);
    assertThat(proxy.answered("get-order", "candidate")).isZero();

    proxy.apply(manifest(100));
    double before = proxy.answered("get-order", "legacy");
    await().atMost(Duration.ofSeconds(1)).until(() -> proxy.answered("get-order", "candidate") > 50);
    assertThat(proxy.answered("get-order", "legacy")).isLessThanOrEqualTo(before + 8); // only requests already routed

    proxy.apply(manifest(0));
    double candidateBefore = proxy.answered("get-order", "candidate");
    await().atMost(Duration.ofSeconds(1)).until(() -> proxy.answered("get-order", "legacy") > before + 50);
    assertThat(proxy.answered("get-order", "candidate")).isLessThanOrEqualTo(candidateBefore + 8);

    running.set(false);
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(bad.get()).isZero();
    assertThat(ok.get()).isGreaterThan(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.totalComparisons("get-order") == ok.get());
    assertThat(proxy.comparisons("get-order", "matched")).isEqualTo(ok.get());
  }

  @Test
  void drainingFinishesInFlightRequestsAndAnswersEveryConnectionWithConnectionClose() throws Exception {
    legacy.respond((req, body) -> vertx.setTimer(700, t -> req.response().putHeader("Content-Type", "application/json").end("{\"v\":1}")));
    proxy = new ProxyFixture(manifest(0));
    CompletableFuture<HttpResponse<String>> inFlight = ProxyFixture.HTTP.sendAsync(
        HttpRequest.newBuilder(proxy.uri("/orders/1")).build(), HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server.drain().inFlight() == 1);
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.server.drainAndStop(Duration.ofSeconds(10)));
    await().atMost(Duration.ofSeconds(2)).until(() -> proxy.adminGet("/readyz").statusCode() == 503);
    // A new connection (the Service's endpoints lag behind the pod's termination) is still answered, and told to go.
    try (java.net.Socket fresh = new java.net.Socket("127.0.0.1", proxy.server.port())) {
      fresh.setSoTimeout(5_000);
      fresh.getOutputStream().write("GET /orders/2 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(fresh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close").endsWith("{\"v\":1}");
    }
    HttpResponse<String> r = inFlight.get(5, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"v\":1}");
    stopping.get(10, TimeUnit.SECONDS);
  }

  /**
   * The race a drain must not lose: a keep-alive connection that is idle when the drain starts, whose client sends
   * its next request (here a write) a moment later. Closing idle connections at once would lose that request;
   * the proxy answers it with Connection: close, and stops as soon as its clients have gone.
   */
  @Test
  void aKeepAliveClientsNextRequestDuringTheDrainIsAnsweredNotCutOff() throws Exception {
    legacy.respond((req, body) -> req.response().putHeader("Content-Type", "application/json").end("{\"v\":1}"));
    proxy = new ProxyFixture(manifest(0));
    try (java.net.Socket client = new java.net.Socket("127.0.0.1", proxy.server.port())) {
      client.setSoTimeout(5_000);
      var in = new java.io.BufferedInputStream(client.getInputStream());
      client.getOutputStream().write("GET /orders/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");

      long started = System.nanoTime();
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.server.drainAndStop(Duration.ofSeconds(20)));
      await().atMost(Duration.ofSeconds(2)).until(() -> proxy.server.drain().draining());
      client.getOutputStream().write(("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 2\r\n\r\n{}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(readResponse(in)).as("the write sent on the idle connection during the drain")
          .startsWith("HTTP/1.1 ").containsIgnoringCase("connection: close");
      assertThat(in.read()).as("then the proxy closes the connection").isEqualTo(-1);
      stopping.get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stops once its clients are gone, not at the timeout")
          .isLessThan(Duration.ofSeconds(10));
    }
  }

  /** HTTP/2 forbids Connection headers: during the drain an h2c client gets clean answers, then a GOAWAY. */
  @Test
  void anH2cClientDuringTheDrainGetsCleanAnswersAndAGoAway() throws Exception {
    legacy.respond((req, body) -> req.response().putHeader("Content-Type", "application/json").end("{\"v\":1}"));
    proxy = new ProxyFixture(manifest(0));
    io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      AtomicBoolean goAway = new AtomicBoolean();
      var first = h2.request(io.vertx.core.http.HttpMethod.GET, proxy.server.port(), "127.0.0.1", "/orders/1")
          .compose(req -> {
            req.connection().goAwayHandler(g -> goAway.set(true));
            return req.send();
          }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(first.statusCode()).isEqualTo(200);

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.server.drainAndStop(Duration.ofSeconds(20)));
      await().atMost(Duration.ofSeconds(2)).until(() -> proxy.server.drain().draining());
      var during = h2.request(io.vertx.core.http.HttpMethod.GET, proxy.server.port(), "127.0.0.1", "/orders/2")
          .compose(req -> req.send().compose(r -> r.body().map(b -> r)))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(during.statusCode()).isEqualTo(200);
      assertThat(during.headers().contains("connection")).as("no Connection header over HTTP/2").isFalse();
      stopping.get(15, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).untilTrue(goAway);
    } finally {
      h2.close();
    }
  }

  /** One HTTP/1.1 response with a Content-Length body, as text. */
  private static String readResponse(java.io.BufferedInputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new java.io.EOFException("connection closed after " + head.length() + " bytes: " + head);
      head.append((char) b);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return head + new String(in.readNBytes(length), java.nio.charset.StandardCharsets.US_ASCII);
  }
}
