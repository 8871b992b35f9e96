package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FifoDeadlinesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void expiresLiveDeadlinesInOrderAfterTheTimeoutAndNeverCancelledOnes() throws Exception {
    List<String> expired = new CopyOnWriteArrayList<>();
    long[] addedAt = new long[1];
    var io = vertx.getOrCreateContext(); // one event-loop context, as the proxy's handler has
    CompletableFuture<FifoDeadlines> made = new CompletableFuture<>();
    io.runOnContext(v -> {
      FifoDeadlines d = new FifoDeadlines(vertx, 300);
      addedAt[0] = System.nanoTime();
      d.add(() -> expired.add("a"));
      d.add(() -> expired.add("b")).cancel();
      d.add(() -> expired.add("c"));
      // a later one, added 200 ms on, must wait for its own deadline
      vertx.setTimer(200, t -> d.add(() -> expired.add("late:" + (System.nanoTime() - addedAt[0]) / 1_000_000)));
      made.complete(d);
    });
    FifoDeadlines deadlines = made.get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(3)).until(() -> expired.size() == 3);
    assertThat(expired.subList(0, 2)).containsExactly("a", "c");
    long lateMs = Long.parseLong(expired.get(2).substring("late:".length()));
    assertThat(lateMs).isGreaterThanOrEqualTo(500);
    CompletableFuture<Integer> left = new CompletableFuture<>();
    io.runOnContext(v -> left.complete(deadlines.pending()));
    assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void nothingExpiresBeforeTheTimeout() throws Exception {
    List<String> expired = new CopyOnWriteArrayList<>();
    var io = vertx.getOrCreateContext();
    long[] start = new long[1];
    long[] firedAfterMs = {-1};
    io.runOnContext(v -> {
      FifoDeadlines d = new FifoDeadlines(vertx, 400);
      start[0] = System.nanoTime();
      d.add(() -> {
        firedAfterMs[0] = (System.nanoTime() - start[0]) / 1_000_000;
        expired.add("x");
      });
    });
    await().atMost(Duration.ofSeconds(3)).until(() -> expired.size() == 1);
    assertThat(firedAfterMs[0]).isGreaterThanOrEqualTo(400);
  }
}
