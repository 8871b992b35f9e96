package io.parallelrun.proxy.mismatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.CompareAxis;
import io.parallelrun.api.DataProtectionSpec;
import io.parallelrun.api.MismatchSamples;
import io.parallelrun.api.ResolvedComparator;
import io.parallelrun.proxy.compare.BodyDecoder;
import io.parallelrun.proxy.compare.ComparatorRules;
import io.parallelrun.proxy.compare.Comparison;
import io.parallelrun.proxy.compare.ResponseComparator;
import io.parallelrun.proxy.compare.ResponseSnapshot;
import io.parallelrun.proxy.config.Backend;
import io.parallelrun.proxy.config.RoutingTable;
import io.parallelrun.proxy.routing.Side;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MismatchRecorderTest {
  private static final ComparatorRules RULES = ComparatorRules.compile(new ResolvedComparator(
      EnumSet.allOf(CompareAxis.class), List.of(), List.of(), List.of(), 0));

  private static ResponseSnapshot answer(String body, String cookie) {
    return new ResponseSnapshot(200, List.of(Map.entry("Content-Type", "application/json"),
        Map.entry("Set-Cookie", cookie), Map.entry("X-Token", cookie)), body.getBytes(StandardCharsets.UTF_8));
  }

  private static RoutingTable table(MismatchSamples mode) {
    DataProtectionSpec dp = new DataProtectionSpec();
    dp.setRedactJsonPaths(List.of("$.customer.email", "$.items[*].card"));
    dp.setRedactHeaders(List.of("X-Token"));
    return new RoutingTable("ns", "shop", Backend.of("legacy", "http://a"), Backend.of("candidate", "http://b"),
        List.of(), null, Redactor.of(mode, dp));
  }

  private Comparison compare() {
    return new ResponseComparator(new BodyDecoder(1 << 20)).compare(
        answer("{\"customer\":{\"email\":\"a@x.io\",\"n\":1},\"items\":[{\"card\":\"card-of-legacy\",\"q\":1}]}", "s=legacy"),
        answer("{\"customer\":{\"email\":\"b@x.io\",\"n\":2},\"items\":[{\"card\":\"card-of-candidate\",\"q\":2}]}", "s=candidate"),
        RULES);
  }

  @Test
  void redactedSamplesHideSensitiveValuesButKeepTheDiff() {
    MismatchStore store = new MismatchStore(2);
    MismatchRecorder recorder = new MismatchRecorder(store, new RateLimiter(100, System::nanoTime));
    for (int i = 0; i < 3; i++) {
      recorder.record(table(MismatchSamples.Redacted), "get-order", "GET", "/orders/1", "token=abc", Side.legacy, compare());
    }
    String json = store.toJson().toString();
    assertThat(store.toJson().path("endpoints").path("get-order").size()).isEqualTo(2);
    assertThat(json).doesNotContain("a@x.io", "b@x.io", "card-of-legacy", "card-of-candidate", "s=legacy", "s=candidate", "token=abc");
    assertThat(json).contains("\"op\":\"replace\"", "/body/customer/n", "/body/items/0/q", "\"answeredBy\":\"legacy\"",
        "/body/customer/email", "/headers/x-token", "[REDACTED:"); // redacted values still show that they differ
  }

  @Test
  void fullSamplesKeepEverythingAndNoneKeepsNothing() {
    MismatchStore store = new MismatchStore(5);
    MismatchRecorder recorder = new MismatchRecorder(store, new RateLimiter(100, System::nanoTime));
    recorder.record(table(MismatchSamples.Full), "a", "GET", "/x", "q=1", Side.candidate, compare());
    recorder.record(table(MismatchSamples.None), "b", "GET", "/x", null, Side.candidate, compare());
    String json = store.toJson().toString();
    assertThat(json).contains("b@x.io", "s=candidate", "q=1");
    assertThat(store.toJson().path("endpoints").has("b")).isFalse();
  }

  @Test
  void rateLimiterAllowsBurstThenRefills() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(2, now::get);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    now.addAndGet(500_000_000L);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
  }
}
