package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shadow lane's idle HTTP/1.1 connections close a few at a time after {@code --idle-timeout} plus the shadow
 * timeout, not in one wave, and never under a request. The candidate, a real server on 127.0.0.1, answers 300 ms
 * late, so that concurrent requests need a shadow connection each, and notes when each of its connections closes.
 */
class IdleShadowConnectionsTest extends ProxyTestBase {
  static final String ENDPOINTS = """
        - name: get-order
          method: GET
          path: /orders/{id}
      """;
  static final long IDLE_MS = 2000; // --idle-timeout 1s plus --shadow-timeout 1s

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  @BeforeEach
  void slowCandidate() throws Exception {
    candidate.respond((req, body) -> vertx.setTimer(300, t -> TestBackend.json("candidate").accept(req, body)));
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, ""),
        "--idle-timeout", "1s", "--shadow-timeout", "1s", "--shadow-event-loops", "1");
  }

  /** Sends GET /orders/0 to /orders/{n - 1} at once and waits for every answer (200). */
  private void burst(int n) throws Exception {
    assertThat(proxy.getOrdersAtOnce(n, Duration.ofSeconds(10))).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
  }

  @Test
  void aBurstsShadowConnectionsCloseAFewAtATimeOnceIdle() throws Exception {
    long burstStart = System.nanoTime();
    burst(40);
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 40);
    int n = candidate.connectionsOpened.get();
    assertThat(n).as("shadow connections the burst opened").isGreaterThanOrEqualTo(24);

    await().atMost(Duration.ofSeconds(20)).until(() -> candidate.connectionClosedAtNanos.size() == n);
    List<Long> closes = candidate.connectionClosedAtNanos.stream().sorted().toList();
    assertThat(TimeUnit.NANOSECONDS.toMillis(closes.get(0) - burstStart))
        .as("first close, ms after the burst began").isGreaterThanOrEqualTo(IDLE_MS - 100);
    // Vert.x's keep-alive timeout alone closed them all within a few milliseconds of one another.
    long spanMs = TimeUnit.NANOSECONDS.toMillis(closes.get(n - 1) - closes.get(0));
    long ticks = (n + IdleConnectionReaper.CLOSES_PER_TICK - 1) / IdleConnectionReaper.CLOSES_PER_TICK;
    assertThat(spanMs).as("ms from the first close to the last").isGreaterThanOrEqualTo((ticks - 1) * IdleConnectionReaper.TICK_MS / 2);
    for (int i = IdleConnectionReaper.CLOSES_PER_TICK; i < n; i++) {
      assertThat(TimeUnit.NANOSECONDS.toMillis(closes.get(i) - closes.get(i - IdleConnectionReaper.CLOSES_PER_TICK)))
          .as("ms between close %d and close %d", i - IdleConnectionReaper.CLOSES_PER_TICK, i)
          .isGreaterThanOrEqualTo(IdleConnectionReaper.TICK_MS / 4);
    }
    assertThat(proxy.comparisons("get-order", "failed")).isZero();
  }

  @Test
  void aConnectionKeptBusyStaysOpenWhileTheIdleOnesClose() throws Exception {
    burst(12);
    // The clients have legacy's answers before the candidate has accepted every shadow connection: count them once
    // every shadow is compared (a CI run read 7 of them straight after the burst).
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.comparisons("get-order", "matched") == 12);
    int n = candidate.connectionsOpened.get();
    assertThat(n).as("shadow connections the burst opened").isGreaterThanOrEqualTo(8);
    // One request at a time for 4 s, twice the idle time, each sent once the previous one's shadow is compared:
    // the pool gives each the same connection, which therefore never idles.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    int sent = 12;
    while (System.nanoTime() < until) {
      assertThat(proxy.get("/orders/" + sent).statusCode()).isEqualTo(200);
      int compared = ++sent;
      await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
          .until(() -> proxy.totalComparisons("get-order") == compared);
    }
    assertThat(proxy.comparisons("get-order", "failed")).as("shadows cut off by a close").isZero();
    assertThat(candidate.connectionClosedAtNanos).as("idle connections closed while one was busy").hasSizeGreaterThanOrEqualTo(n - 2);
    assertThat(candidate.connectionClosedAtNanos).as("connections closed").hasSizeLessThan(candidate.connectionsOpened.get());
  }
}
