package io.parallelrun.proxy.mismatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.CompareAxis;
import io.parallelrun.api.DataProtectionSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.MismatchSamples;
import io.parallelrun.api.Promotion;
import io.parallelrun.api.ResolvedComparator;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.proxy.compare.BodyDecoder;
import io.parallelrun.proxy.compare.ComparatorRules;
import io.parallelrun.proxy.compare.Comparison;
import io.parallelrun.proxy.compare.Json;
import io.parallelrun.proxy.compare.ResponseComparator;
import io.parallelrun.proxy.compare.ResponseSnapshot;
import io.parallelrun.proxy.exchange.ReceivedExchanges;
import io.parallelrun.proxy.routing.Backend;
import io.parallelrun.proxy.routing.PathTemplate;
import io.parallelrun.proxy.routing.Route;
import io.parallelrun.proxy.routing.RoutingTable;
import io.parallelrun.proxy.routing.Side;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MismatchRecorderTest {
  @RegisterExtension
  static final ReceivedExchanges requests = new ReceivedExchanges();
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
        List.of(), null, Redactor.of(mode, mode != MismatchSamples.Full, dp));
  }

  private static Route route(String endpoint, String template) {
    return new Route(new ResolvedEndpoint(endpoint, HttpMethod.GET, template, 99.5, 1, Duration.ofMinutes(1),
        Duration.ZERO, 98, null, List.of(100), true, 100, Promotion.Automatic, null),
        PathTemplate.compile(template), "GET", 0, RULES, null);
  }

  /** A mismatch of a GET {@code uri} to {@code endpoint}, recorded as the comparison pool does. */
  private static void record(MismatchRecorder recorder, MismatchSamples mode, String endpoint, String template,
      String uri, Side answeredBy, Comparison comparison) throws Exception {
    recorder.record(requests.mirrored(table(mode), route(endpoint, template), answeredBy, "GET", uri), comparison);
  }

  private Comparison compare() {
    return new ResponseComparator(new BodyDecoder(1 << 20)).compare(
        answer("{\"customer\":{\"email\":\"a@x.io\",\"n\":1},\"items\":[{\"card\":\"card-of-legacy\",\"q\":1}]}", "s=legacy"),
        answer("{\"customer\":{\"email\":\"b@x.io\",\"n\":2},\"items\":[{\"card\":\"card-of-candidate\",\"q\":2}]}", "s=candidate"),
        RULES);
  }

  @Test
  void redactedSamplesHideSensitiveValuesButKeepTheDiff() throws Exception {
    MismatchStore store = new MismatchStore(2);
    MismatchRecorder recorder = new MismatchRecorder(store, new RateLimiter(100, System::nanoTime));
    for (int i = 0; i < 3; i++) {
      record(recorder, MismatchSamples.Redacted, "get-order", "/orders/{id}", "/orders/1?token=abc", Side.legacy, compare());
    }
    String json = store.render(1 << 20);
    assertThat(Json.MAPPER.readTree(json).path("endpoints").path("get-order").size()).isEqualTo(2);
    assertThat(json).doesNotContain("a@x.io", "b@x.io", "card-of-legacy", "card-of-candidate", "s=legacy", "s=candidate", "token=abc");
    assertThat(json).contains("\"op\":\"replace\"", "/body/customer/n", "/body/items/0/q", "\"answeredBy\":\"legacy\"",
        "/body/customer/email", "/headers/x-token", "[REDACTED:"); // redacted values still show that they differ
  }

  @Test
  void fullSamplesKeepEverythingAndNoneKeepsNothing() throws Exception {
    MismatchStore store = new MismatchStore(5);
    MismatchRecorder recorder = new MismatchRecorder(store, new RateLimiter(100, System::nanoTime));
    record(recorder, MismatchSamples.Full, "a", "/x", "/x?q=1", Side.candidate, compare());
    record(recorder, MismatchSamples.None, "b", "/x", "/x", Side.candidate, compare());
    String json = store.render(1 << 20);
    assertThat(json).contains("b@x.io", "s=candidate", "q=1");
    assertThat(Json.MAPPER.readTree(json).path("endpoints").has("b")).isFalse();
  }

  @Test
  void redactedModeWithholdsBodiesThatAreNotJsonContainers() {
    Redactor redactor = table(MismatchSamples.Redacted).redactor();
    ResponseComparator comparator = new ResponseComparator(new BodyDecoder(1 << 20));
    record Case(String type, String legacy, String candidate) {}
    for (Case c : List.of(
        new Case("text/plain; charset=utf-8", "ssn 123-45-6789", "ssn 987-65-4321"),
        new Case("application/xml", "<ssn>123-45-6789</ssn>", "<ssn>987-65-4321</ssn>"),
        new Case("application/json", "{\"ssn\":\"123-45-6789\",}", "{\"ssn\":\"987-65-4321\",}"),
        new Case("application/json", "\"123-45-6789\"", "\"987-65-4321\""), // JSON, but no path can redact it
        new Case("application/octet-stream", "123-45-6789", "987-65-4321"))) {
      Comparison result = comparator.compare(typed(c.type(), c.legacy()), typed(c.type(), c.candidate()), RULES);
      String legacy = redactor.redact(result.legacy(), result.legacyBody()).toString();
      String candidate = redactor.redact(result.candidate(), result.candidateBody()).toString();
      assertThat(legacy + candidate).as(c.toString()).doesNotContain("123-45-6789", "987-65-4321");
      String mediaType = c.type().replace("; charset=utf-8", "");
      assertThat(legacy).as(c.toString()).contains("\"withheld\":", "\"mediaType\":\"" + mediaType + "\"",
          "\"bytes\":" + c.legacy().length(), "\"digest\":\"hmac-sha256:");
    }
    // a JSON object stays, with its redactJsonPaths redacted
    Comparison json = compare();
    assertThat(redactor.redact(json.legacy(), json.legacyBody()).toString()).contains("\"n\":1").doesNotContain("withheld");
  }

  private static ResponseSnapshot typed(String type, String body) {
    return new ResponseSnapshot(200, List.of(Map.entry("Content-Type", type)), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSampleOverTheLimitKeepsWhatDifferedButNotTheValues() throws Exception {
    MismatchStore store = new MismatchStore(5);
    MismatchRecorder recorder = new MismatchRecorder(store, new RateLimiter(100, System::nanoTime), 2048);
    String big = "x".repeat(10_000);
    Comparison c = new ResponseComparator(new BodyDecoder(1 << 20)).compare(
        answer("{\"a\":\"" + big + "\",\"n\":1}", "s"), answer("{\"a\":\"" + big + "y\",\"n\":2}", "s"), RULES);
    record(recorder, MismatchSamples.Full, "a", "/x", "/x", Side.legacy, c);
    String json = store.render(1 << 20);
    assertThat(json.length()).isLessThan(2048 + 100);
    assertThat(json).contains("\"path\":\"/body/a\"", "\"path\":\"/body/n\"", "diffTruncated", "--max-sample-bytes 2048")
        .doesNotContain(big);
  }

  @Test
  void theAnswerKeepsEachEndpointsNewestSamplesWithinItsShare() throws Exception {
    MismatchStore store = new MismatchStore(10);
    for (int i = 0; i < 10; i++) {
      store.add("a", "{\"n\":" + i + ",\"pad\":\"" + "p".repeat(80) + "\"}");
      store.add("b", "{\"n\":" + i + "}");
    }
    com.fasterxml.jackson.databind.JsonNode all = Json.MAPPER.readTree(store.render(1 << 20));
    assertThat(all.path("endpoints").path("a").size()).isEqualTo(10);
    assertThat(all.has("omitted")).isFalse();
    com.fasterxml.jackson.databind.JsonNode some = Json.MAPPER.readTree(store.render(600));
    assertThat(some.path("endpoints").path("b").size()).isEqualTo(10); // small ones fit its half
    assertThat(some.path("endpoints").path("a").size()).isEqualTo(3);
    assertThat(some.path("endpoints").path("a").get(2).path("n").asInt()).isEqualTo(9); // newest last
    assertThat(some.path("omitted").asInt()).isEqualTo(7);
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
