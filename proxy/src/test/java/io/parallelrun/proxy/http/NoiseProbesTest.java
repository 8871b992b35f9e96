package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Noise learning (comparator.noise) on a real proxy with real backends on 127.0.0.1: after an unmatched comparison
 * of a mirrored GET, legacy gets the same request once more, and the fields at which its two answers differ are
 * counted as noise; within the endpoint's probe rate and 5 % of its requests; with Ignore, such fields leave the
 * comparisons; never on the client's path.
 */
class NoiseProbesTest extends ProxyTestBase {
  private static final String SECRET = "SECRET-VALUE-";
  private static final AtomicInteger CALLS = new AtomicInteger();
  private static final String IGNORE = """
        defaults:
          comparator:
            noise: Ignore
            noiseIgnoreAfter: 3
            noiseProbesPerMinute: 600
      """;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return noisy(side.equals("legacy") ? "10" : "11");
  }

  /**
   * Answers JSON with a total (the candidate's is a bug) and a per-call X-Served-At header and generatedAt field, as
   * many real services have; every value holds a marker that must never reach /metrics.
   */
  private static BiConsumer<HttpServerRequest, Buffer> noisy(String total) {
    return (req, b) -> {
      String at = SECRET + System.nanoTime() + "-" + CALLS.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").putHeader("X-Served-At", at)
          .end("{\"id\":1,\"total\":\"" + SECRET + total + "\",\"generatedAt\":\"" + at + "\"}");
    };
  }

  private static String endpoint(String name, String method, String path, String comparator) {
    return """
          - name: %s
            method: %s
            path: %s
        %s
        """.formatted(name, method, path, comparator.indent(4).stripTrailing());
  }

  private void start(String defaults, String... endpoints) throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), defaults, String.join("", endpoints), ""));
  }

  /** Sends n GETs to path prefix + i and waits until the endpoint has compared them all. */
  private void compared(String endpoint, String method, String prefix, int n) throws Exception {
    double before = proxy.totalComparisons(endpoint);
    for (int i = 0; i < n; i++) {
      assertThat(proxy.send(method, prefix + i, "").statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.totalComparisons(endpoint) == before + n);
  }

  private double probes(String endpoint) {
    return proxy.count(Metric.NOISE_PROBES, MetricLabels.ENDPOINT, endpoint);
  }

  private double noise(String endpoint, String field) {
    return proxy.count(Metric.NOISE_FIELDS, MetricLabels.ENDPOINT, endpoint, MetricLabels.FIELD, field);
  }

  private Double ignored(String endpoint, String field) {
    Gauge g = proxy.server.metrics().registry().find(Metric.NOISE_IGNORED_FIELDS.meterName())
        .tags(MetricLabels.ENDPOINT, endpoint, MetricLabels.FIELD, field).gauge();
    return g == null ? null : g.value();
  }

  /** Probes reach legacy as shadow copies do (X-Parallel-Run: shadow); legacy answers the clients here. */
  private long probesLegacyReceived(String pathPrefix) {
    return legacy.received.stream()
        .filter(r -> "shadow".equals(r.headers().get("X-Parallel-Run")) && r.uri().startsWith(pathPrefix)).count();
  }

  @Test
  void aPerCallHeaderIsNoiseAndTheCandidatesBuggyFieldNeverIs() throws Exception {
    start("", endpoint("get-order", "GET", "/orders/{id}", """
        comparator:
          noiseProbesPerMinute: 600
        """));
    compared("get-order", "GET", "/orders/", 60);
    await().atMost(Duration.ofSeconds(10)).until(() -> probes("get-order") == 3);

    await().atMost(Duration.ofSeconds(10)).until(() -> noise("get-order", "header:x-served-at") == 3);
    assertThat(noise("get-order", "body:$.generatedAt")).isEqualTo(3);
    assertThat(noise("get-order", "body:$.total")).as("the candidate's bug is no noise").isZero();
    assertThat(noise("get-order", MetricLabels.OTHER_FIELD)).isZero();
    assertThat(probesLegacyReceived("/orders/")).as("probes legacy received").isEqualTo(3);
    // Report only: every comparison still unmatched, at the noise as at the bug.
    assertThat(proxy.comparisons("get-order", "unmatched")).isEqualTo(60);
    assertThat(proxy.count(Metric.MISMATCH_FIELDS, MetricLabels.ENDPOINT, "get-order", MetricLabels.FIELD,
        "header:x-served-at")).isEqualTo(60);
    assertThat(ignored("get-order", "header:x-served-at")).as("nothing ignored in Report").isNull();

    String metrics = proxy.adminGet("/metrics").body();
    assertThat(metrics).contains("parallelrun_noise_fields_total{").doesNotContain(SECRET);
  }

  @Test
  void probesStayWithinTheRateTheShareOfRequestsAndSafeMirroredMethods() throws Exception {
    long started = System.nanoTime();
    start("""
          defaults:
            comparator:
              noiseProbesPerMinute: 3
        """,
        endpoint("get-order", "GET", "/orders/{id}", ""),
        endpoint("get-item", "GET", "/items/{id}", "comparator:\n  noiseProbesPerMinute: 600\n"),
        endpoint("get-quiet", "GET", "/quiet/{id}", "comparator:\n  noise: \"Off\"\n"),
        endpoint("post-order", "POST", "/orders/{id}", "mirror: true\ncomparator:\n  noiseProbesPerMinute: 600\n"),
        endpoint("get-static", "GET", "/static/{id}", "mirror: false\ncomparator:\n  noiseProbesPerMinute: 600\n"));

    compared("get-order", "GET", "/orders/", 100); // the share would allow 5, the rate allows 3 a minute
    compared("get-item", "GET", "/items/", 59); // the rate would allow 59, the share 2 (59 / 20)
    compared("get-quiet", "GET", "/quiet/", 40);
    compared("post-order", "POST", "/orders/", 40);
    for (int i = 0; i < 40; i++) assertThat(proxy.get("/static/" + i).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> probes("get-order") == 3 && probes("get-item") == 2);
    // The probes that were due have been sent: no more follow, within the minute.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
        probes("get-order") == 3 && probes("get-item") == 2 && probes("get-quiet") == 0 && probes("post-order") == 0
            && probes("get-static") == 0);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a run within the minute the rate is counted in")
        .isLessThan(Duration.ofSeconds(60));
    assertThat(proxy.comparisons("get-quiet", "unmatched")).isEqualTo(40);
    assertThat(proxy.comparisons("post-order", "unmatched")).isEqualTo(40);
    assertThat(probesLegacyReceived("/orders/")).as("probes legacy received on /orders (GET only)").isEqualTo(3);
    assertThat(probesLegacyReceived("/items/")).isEqualTo(2);
    assertThat(probesLegacyReceived("/quiet/") + probesLegacyReceived("/static/")).isZero();
  }

  @Test
  void ignoredNoiseLeavesTheComparisonsButARealBugStaysAndARebuildKeepsWhatWasLearned() throws Exception {
    String[] endpoints = {endpoint("get-order", "GET", "/orders/{id}", ""), endpoint("get-noisy", "GET", "/noisy/{id}", "")};
    start(IGNORE, endpoints);
    candidate.respond((req, b) -> noisy(req.path().startsWith("/noisy/") ? "10" : "11").accept(req, b));

    // 20 requests per probe: 3 probes in 60 requests; a few more for the probes' own time.
    for (int round = 0; round < 10 && ignored("get-noisy", "header:x-served-at") == null; round++) {
      compared("get-noisy", "GET", "/noisy/", 20);
      compared("get-order", "GET", "/orders/", 20);
      await().atMost(Duration.ofSeconds(10)).until(() -> probes("get-noisy") == probes("get-order")
          && noise("get-noisy", "header:x-served-at") == probes("get-noisy"));
    }
    assertThat(ignored("get-noisy", "header:x-served-at")).isEqualTo(1.0);
    assertThat(ignored("get-noisy", "body:$.generatedAt")).isEqualTo(1.0);
    assertThat(probes("get-noisy")).isEqualTo(3);

    // From now on the noisy endpoint matches; the buggy one still differs at its bug, never ignored.
    double matched = proxy.comparisons("get-noisy", "matched");
    compared("get-noisy", "GET", "/noisy/", 10);
    assertThat(proxy.comparisons("get-noisy", "matched")).isEqualTo(matched + 10);
    double bug = proxy.count(Metric.MISMATCH_FIELDS, MetricLabels.ENDPOINT, "get-order", MetricLabels.FIELD, "body:$.total");
    compared("get-order", "GET", "/orders/", 10);
    assertThat(proxy.comparisons("get-order", "matched")).isZero();
    assertThat(proxy.count(Metric.MISMATCH_FIELDS, MetricLabels.ENDPOINT, "get-order", MetricLabels.FIELD, "body:$.total"))
        .isEqualTo(bug + 10);
    assertThat(ignored("get-order", "body:$.total")).isNull();
    assertThat(ignored("get-order", "header:x-served-at")).isEqualTo(1.0);

    String metrics = proxy.adminGet("/metrics").body();
    assertThat(metrics).contains("parallelrun_noise_ignored_fields{").doesNotContain(SECRET);

    // What was learned survives a routing-table rebuild of the same endpoints, as their meters do ...
    proxy.apply(ProxyFixture.manifest(legacy.url(), candidate.url(), IGNORE.replace("noiseIgnoreAfter: 3",
        "noiseIgnoreAfter: 4"), String.join("", endpoints), ""));
    matched = proxy.comparisons("get-noisy", "matched");
    compared("get-noisy", "GET", "/noisy/", 5);
    assertThat(proxy.comparisons("get-noisy", "matched")).isEqualTo(matched + 5);
    // ... and an endpoint set back to Report compares the fields again: no longer ignored.
    proxy.apply(ProxyFixture.manifest(legacy.url(), candidate.url(), IGNORE.replace("noise: Ignore", "noise: Report"),
        String.join("", endpoints), ""));
    double unmatched = proxy.comparisons("get-noisy", "unmatched");
    compared("get-noisy", "GET", "/noisy/", 5);
    assertThat(proxy.comparisons("get-noisy", "unmatched")).isEqualTo(unmatched + 5);
    assertThat(ignored("get-noisy", "header:x-served-at")).isZero();
  }

  /**
   * A proxy that starts (a new replica, a restart, a roll) ignores at once the noise the run's proxies learned, as
   * status.endpoints[].ignoredNoise lists it: relearning would count it as mismatches again, enough to roll back an
   * endpoint already cut over. Only with Ignore, and only fields a rule can name.
   */
  @Test
  void aStartingProxyIgnoresTheNoiseTheRunLearnedBeforeFromStatus() throws Exception {
    candidate.respond((req, b) -> noisy("10").accept(req, b)); // no bug: only the noise differs
    String status = """
          - name: get-noisy
            ignoredNoise: ["header:x-served-at", "body:$.generatedAt", "status", "header:x-%s"]
          - name: get-reported
            ignoredNoise: ["header:x-served-at", "body:$.generatedAt"]
        """.formatted("y".repeat(300));
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), IGNORE,
        endpoint("get-noisy", "GET", "/noisy/{id}", "") + endpoint("get-reported", "GET", "/reported/{id}",
            "comparator:\n  noise: Report\n"), status));

    compared("get-noisy", "GET", "/noisy/", 10);
    assertThat(proxy.comparisons("get-noisy", "matched")).as("the first comparisons already leave the noise out").isEqualTo(10);
    assertThat(probes("get-noisy")).isZero();
    assertThat(ignored("get-noisy", "header:x-served-at")).isEqualTo(1.0);
    assertThat(ignored("get-noisy", "status")).as("no rule names a status").isNull();
    assertThat(ignored("get-noisy", "header:x-" + "y".repeat(300))).as("longer than any name the proxy makes").isNull();

    compared("get-reported", "GET", "/reported/", 10);
    assertThat(proxy.comparisons("get-reported", "unmatched")).as("Report adopts nothing").isEqualTo(10);
  }

  @Test
  void aSlowProbeNeverSlowsAClientAnswerAndATimedOutOneTeachesNothing() throws Exception {
    Map<String, AtomicInteger> callsByPath = new ConcurrentHashMap<>();
    BiConsumer<HttpServerRequest, Buffer> fast = noisy("10");
    legacy.respond((req, b) -> {
      // the second call of a path is a probe: it answers 3 s late, past the shadow timeout (2 s)
      if (callsByPath.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet() < 2) {
        fast.accept(req, b);
      } else {
        vertx.setTimer(3_000, t -> fast.accept(req, b));
      }
    });
    start("", endpoint("get-order", "GET", "/orders/{id}", "comparator:\n  noiseProbesPerMinute: 600\n"));

    List<Long> baseline = new ArrayList<>(); // before the 20th request no probe may be sent
    List<Long> whileProbing = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = proxy.get("/orders/" + i);
      long took = System.nanoTime() - start;
      assertThat(r.statusCode()).isEqualTo(200);
      (i < 19 ? baseline : whileProbing).add(took);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> probes("get-order") >= 4);
    long worstBaseline = baseline.stream().mapToLong(Long::longValue).max().orElseThrow();
    long worstWhileProbing = whileProbing.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(Duration.ofNanos(worstWhileProbing)).as("slowest client answer while 3 s probes were out (baseline %s)",
        Duration.ofNanos(worstBaseline)).isLessThan(Duration.ofNanos(worstBaseline).plusMillis(1_000));
    // the probes timed out (their answers come after): none counts as noise
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
        noise("get-order", "header:x-served-at") == 0 && noise("get-order", MetricLabels.OTHER_FIELD) == 0);
    assertThat(probesLegacyReceived("/orders/")).isEqualTo((long) probes("get-order"));
  }
}
