package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.proxy.compare.BodyDecoder;
import io.parallelrun.proxy.compare.ComparisonService;
import io.parallelrun.proxy.compare.ResponseComparator;
import io.parallelrun.proxy.mismatch.MismatchRecorder;
import io.parallelrun.proxy.mismatch.MismatchStore;
import io.parallelrun.proxy.mismatch.RateLimiter;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shadow side yields the CPU to client traffic because the lane and the comparison threads lower their own
 * priority to the lowest Java priority (which the image's -XX:ThreadPriorityPolicy=1 turns into a higher nice
 * value); Vert.x and the JDK start threads at normal priority. Mirroring itself goes through the lane in every
 * ProxyIntegrationTest.
 */
class ShadowLaneTest {
  private final Vertx vertx = Vertx.vertx(); // the shadow lanes' own instance, as in ProxyServer
  private final ComparisonService comparisons = new ComparisonService(
      new ResponseComparator(new BodyDecoder(1 << 20)),
      new MismatchRecorder(new MismatchStore(1), new RateLimiter(1, System::nanoTime)), 10, 1);

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
    comparisons.close();
  }

  @Test
  void theLaneAndTheComparisonThreadsLowerTheirPriorityToTheLowest() throws Exception {
    ShadowLane lane = new ShadowLane(comparisons, ProxySettings.defaults());
    vertx.deployVerticle(lane).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    CompletableFuture<Integer> lanePriority = new CompletableFuture<>();
    lane.context().runOnContext(v -> lanePriority.complete(Thread.currentThread().getPriority()));
    CompletableFuture<Integer> comparePriority = new CompletableFuture<>();
    comparisons.submitAll(List.of(() -> comparePriority.complete(Thread.currentThread().getPriority())));

    assertThat(lanePriority.get(5, TimeUnit.SECONDS)).isEqualTo(Thread.MIN_PRIORITY);
    assertThat(comparePriority.get(5, TimeUnit.SECONDS)).isEqualTo(Thread.MIN_PRIORITY);
  }
}
