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
  void drainingFinishesInFlightRequestsAndStopsAccepting() throws Exception {
    legacy.respond((req, body) -> vertx.setTimer(700, t -> req.response().putHeader("Content-Type", "application/json").end("{\"v\":1}")));
    proxy = new ProxyFixture(manifest(0));
    CompletableFuture<HttpResponse<String>> inFlight = ProxyFixture.HTTP.sendAsync(
        HttpRequest.newBuilder(proxy.uri("/orders/1")).build(), HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server.drain().inFlight() == 1);
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.server.drainAndStop(Duration.ofSeconds(10)));
    await().atMost(Duration.ofSeconds(2)).until(() -> proxy.adminGet("/readyz").statusCode() == 503);
    // a new connection is not served any more
    java.net.http.HttpClient fresh = java.net.http.HttpClient.newHttpClient();
    assertThat(CompletableFuture.supplyAsync(() -> {
      try {
        return fresh.send(HttpRequest.newBuilder(proxy.uri("/orders/2")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (Exception e) {
        return -1;
      }
    }).get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    HttpResponse<String> r = inFlight.get(5, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"v\":1}");
    stopping.get(10, TimeUnit.SECONDS);
  }
}
