package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * parallelrun_compared_latency_seconds, the input of the operator's paired latency gate: both sides of each
 * compared request, timed the same way (from sending upstream on a connection in hand to the last byte), read
 * back as Prometheus would, from the histogram buckets the proxy's admin /metrics renders.
 */
class ComparedLatencyTest extends ProxyTestBase {
  // get-order (mirrored) and get-static (mirror: false), among others
  static final String ENDPOINTS = ProxyIntegrationTest.ENDPOINTS;

  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return TestBackend.json(side);
  }

  /**
   * Both backends answer in 50 ms (long enough that a machine busy with other work, which delays every event loop
   * now and then, does not decide the ratio). 64 clients at once, two client loops with 4 connections each to
   * legacy, one shadow lane with 4 connections to the candidate and 4 shadows waiting: answers wait for a connection
   * on the client loops, shadows in the lane's queue, and neither wait is the backends'. Candidate over legacy
   * then comes out at about 1 (p50; p95 and p99 within the machine's noise), over a window after a warm-up, as the
   * operator reads it with increase(). Timing the shadow from when the client loop handed it to the lane instead
   * gave p50 ratios of 1.74-1.85 (p95 1.85), and upstream latency (which holds the wait for a connection) about 0.25.
   */
  @Test
  void equallyFastSidesComeOutEqualWhileTheProxyIsLoadedAndTheShadowLaneQueues() throws Exception {
    legacy.respond(after(50, TestBackend.json("legacy")));
    candidate.respond(after(50, TestBackend.json("candidate")));
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, ""),
        "--shadow-event-loops", "1", "--pool-size", "4");

    Window window = measure(64, Duration.ofSeconds(8));
    long requests = window.requests();
    Histogram legacyLatency = window.increase(Metric.COMPARED_LATENCY, "legacy");
    Histogram candidateLatency = window.increase(Metric.COMPARED_LATENCY, "candidate");
    Histogram legacyUpstream = window.increase(Metric.UPSTREAM_LATENCY, "legacy");
    Histogram candidateUpstream = window.increase(Metric.UPSTREAM_LATENCY, "candidate");
    String after = window.after();
    double compared = proxy.comparisons("get-order", "matched") + proxy.comparisons("get-order", "unmatched");
    double p50 = ratio(candidateLatency, legacyLatency, 0.5);
    double p95 = ratio(candidateLatency, legacyLatency, 0.95);
    double p99 = ratio(candidateLatency, legacyLatency, 0.99);
    System.out.printf("%d requests, %d compared; compared latency p50 legacy %.4fs ratio %.2f, p95 ratio %.2f,"
            + " p99 legacy %.4fs candidate %.4fs ratio %.2f; upstream latency p50 ratio %.2f, p99 ratio %.2f%n",
        requests, legacyLatency.count(), legacyLatency.quantile(0.5), p50, p95, legacyLatency.quantile(0.99),
        candidateLatency.quantile(0.99), p99, ratio(candidateUpstream, legacyUpstream, 0.5),
        ratio(candidateUpstream, legacyUpstream, 0.99));

    assertThat(legacyLatency.count()).as("compared requests, legacy's side").isGreaterThan(200);
    assertThat(candidateLatency.count()).as("one observation per side per compared request")
        .isEqualTo(legacyLatency.count());
    assertThat(Histogram.parse(after, Metric.COMPARED_LATENCY, "get-order", "candidate").count())
        .as("compared latency observations since the start, against compared requests").isEqualTo((long) compared);
    assertThat(legacyLatency.quantile(0.5)).as("legacy's compared p50 leaves out the wait for a connection,"
        + " which its upstream latency holds").isLessThan(legacyUpstream.quantile(0.5) / 2);
    assertThat(p50).as("candidate/legacy p50").isBetween(0.8, 1.25);
    // The tail of ~600 pairs is decided by a few scheduler stalls (100-400 ms on two cores shared with other
    // builds) of the loop that reads one side: p95 0.85-1.05 and p99 0.50-1.23 measured, both 1.0 on a quiet
    // machine. They get wider bands; a lane queue counted against the candidate fails the p50 and p95 ones (1.8+).
    assertThat(p95).as("candidate/legacy p95").isBetween(0.7, 1.4);
    assertThat(p99).as("candidate/legacy p99").isBetween(0.4, 2.5);
  }

  private static double ratio(Histogram candidate, Histogram legacy, double quantile) {
    return candidate.quantile(quantile) / legacy.quantile(quantile);
  }

  /** Whichever side answers the client and whichever gets the shadow: weight 0 and weight 100. */
  @ParameterizedTest(name = "weight {0}")
  @ValueSource(ints = {0, 100})
  void aCandidate50MillisecondsSlowerComesOutSlower(int weight) throws Exception {
    legacy.respond(after(20, TestBackend.json("legacy")));
    candidate.respond(after(70, TestBackend.json("candidate")));
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, """
          - name: get-order
            weight: %d
        """.formatted(weight)), "--shadow-event-loops", "1");

    Window window = measure(4, Duration.ofSeconds(3));
    Histogram legacyLatency = window.increase(Metric.COMPARED_LATENCY, "legacy");
    Histogram candidateLatency = window.increase(Metric.COMPARED_LATENCY, "candidate");
    assertThat(legacyLatency.count()).isGreaterThan(50);
    assertThat(proxy.answered("get-order", weight == 0 ? "legacy" : "candidate")).as("the side that answers")
        .isPositive();
    assertThat(ratio(candidateLatency, legacyLatency, 0.5)).as("candidate/legacy p50").isGreaterThan(2.0);
  }

  @Test
  void failedSkippedAndUnmirroredRequestsRecordNothingAndUnmatchedOnesRecordNothingElse() throws Exception {
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, ""),
        "--max-body-bytes", "1024");
    candidate.respond((req, body) -> req.connection().close()); // every shadow fails
    proxy.getOrdersAtOnce(5, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons("get-order", "failed") == 5);

    String big = "x".repeat(2048);
    legacy.respond((req, body) -> req.response().end(big));
    candidate.respond((req, body) -> req.response().end(big));
    proxy.getOrdersAtOnce(5, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons("get-order", "skipped") == 5);

    legacy.respond(TestBackend.json("legacy"));
    candidate.respond(TestBackend.json("candidate"));
    for (int i = 0; i < 5; i++) assertThat(proxy.get("/static/app-" + i + ".js").statusCode()).isEqualTo(200);
    assertThat(proxy.get("/nowhere").statusCode()).isEqualTo(200);

    String metrics = proxy.adminGet("/metrics").body();
    for (String side : List.of("legacy", "candidate")) {
      assertThat(Histogram.parse(metrics, Metric.COMPARED_LATENCY, "get-order", side).count())
          .as("%s: failed and skipped comparisons", side).isZero();
      assertThat(Histogram.parse(metrics, Metric.COMPARED_LATENCY, "get-static", side).count())
          .as("%s: an endpoint with mirror: false", side).isZero();
      assertThat(Histogram.parse(metrics, Metric.UPSTREAM_LATENCY, "get-static", side).count())
          .as("%s: the upstream latency of the same requests, for contrast", side)
          .isEqualTo(side.equals("legacy") ? 5 : 0);
    }
    assertThat(metrics).as("no compared latency for requests that match no endpoint")
        .doesNotContainPattern(Metric.COMPARED_LATENCY.prometheusName() + "_\\w+\\{[^}]*endpoint=\""
            + MetricLabels.NO_ROUTE_ENDPOINT + "\"");

    // The same endpoint still records what it compares: one unmatched pair counts once per side.
    candidate.respond((req, body) -> req.response().setStatusCode(500).end());
    proxy.assertOrdersAnswered(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons("get-order", "unmatched") == 1);
    metrics = proxy.adminGet("/metrics").body();
    for (String side : List.of("legacy", "candidate")) {
      assertThat(Histogram.parse(metrics, Metric.COMPARED_LATENCY, "get-order", side).count()).as(side).isEqualTo(1);
    }
  }

  /**
   * A client that reads the answer more slowly than legacy sends it makes the proxy stop reading from legacy
   * (backpressure): when legacy's last byte arrived is then unknown, and timing the client instead would make
   * legacy look slow. The pair is compared and counted, its latency left out.
   */
  @Test
  void anAnswerTheClientHeldBackRecordsNoLatency() throws Exception {
    int size = 8 << 20; // more than the socket buffers and the proxy's write queue hold
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 'x');
    Buffer big = Buffer.buffer(bytes);
    legacy.respond((req, body) -> req.response().end(big));
    candidate.respond((req, body) -> req.response().end(big));
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), "", ENDPOINTS, ""),
        "--max-body-bytes", String.valueOf(2 * size));

    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", proxy.server.port()), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /orders/1 HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> legacy.received.size() == 1);
      Thread.sleep(1500); // the slow client: reads nothing for a while (not an assertion)
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[65536];
      long read = 0;
      while (read < size) { // head and body; the head is a few hundred bytes
        int n = in.read(chunk);
        assertThat(n).as("bytes of the answer").isPositive();
        read += n;
      }
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> proxy.comparisons("get-order", "matched") == 1);
    String metrics = proxy.adminGet("/metrics").body();
    assertThat(Histogram.parse(metrics, Metric.UPSTREAM_LATENCY, "get-order", "legacy").count())
        .as("legacy's upstream latency, which times the client too").isEqualTo(1);
    for (String side : List.of("legacy", "candidate")) {
      assertThat(Histogram.parse(metrics, Metric.COMPARED_LATENCY, "get-order", side).count()).as(side).isZero();
    }
  }

  /** Answers with {@code then} {@code millis} later, without holding the backend's event loop. */
  static BiConsumer<HttpServerRequest, Buffer> after(long millis, BiConsumer<HttpServerRequest, Buffer> then) {
    return (req, body) -> vertx.setTimer(millis, id -> then.accept(req, body));
  }

  /** The admin /metrics before and after a load on get-order, which follows a warm-up of the same load. */
  record Window(String before, String after, long requests) {
    /** The histogram's observations in the window, as PromQL's increase() over it. */
    Histogram increase(Metric metric, String side) {
      return Histogram.increase(before, after, metric, "get-order", side);
    }
  }

  /** {@code clients} at once for 2 s to warm up (classes, pools, the JIT), then for {@code duration}, measured. */
  private Window measure(int clients, Duration duration) throws Exception {
    load(clients, Duration.ofSeconds(2));
    String before = settledMetrics("get-order");
    long requests = load(clients, duration);
    return new Window(before, settledMetrics("get-order"), requests);
  }

  /**
   * {@code clients} clients, each sending GET /orders/{n} again as soon as its answer is in, for {@code duration},
   * on a Vert.x of their own. @return the requests answered 200
   */
  private long load(int clients, Duration duration) throws Exception {
    Vertx load = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      HttpClient client = load.createHttpClient(new PoolOptions().setHttp1MaxSize(clients));
      long until = System.nanoTime() + duration.toNanos();
      AtomicLong ok = new AtomicLong();
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        done.add(finished);
        int id = c;
        load.runOnContext(v -> next(client, id, until, ok, finished));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
          .get(duration.toSeconds() + 30, TimeUnit.SECONDS);
      return ok.get();
    } finally {
      load.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void next(HttpClient client, int id, long until, AtomicLong ok, CompletableFuture<Void> finished) {
    if (System.nanoTime() >= until) {
      finished.complete(null);
      return;
    }
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(proxy.server.port())
            .setURI("/orders/" + id).setTimeout(10_000))
        .compose(r -> r.send().compose(HttpClientResponse::body).map(b -> r.response().result().statusCode()))
        .onComplete(ar -> {
          if (ar.failed()) {
            finished.completeExceptionally(ar.cause());
            return;
          }
          if (ar.result() == 200) ok.incrementAndGet();
          next(client, id, until, ok, finished);
        });
  }

  /** The admin /metrics once every shadow of the load is counted: the total of comparisons stops moving. */
  private String settledMetrics(String endpoint) {
    double[] last = {-1};
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
      double now = proxy.totalComparisons(endpoint) + proxy.dropped(endpoint);
      boolean settled = now == last[0];
      last[0] = now;
      return settled;
    });
    return await().atMost(Duration.ofSeconds(5)).until(() -> proxy.adminGet("/metrics").body(), b -> !b.isEmpty());
  }

  /** One series of a histogram as the text format renders it: cumulative counts by upper bound {@code le}. */
  record Histogram(List<double[]> buckets) {
    private static final Pattern BUCKET = Pattern.compile("le=\"([^\"]+)\"");

    static Histogram parse(String scrape, Metric metric, String endpoint, String side) {
      List<double[]> buckets = new ArrayList<>();
      for (String line : scrape.split("\n")) {
        if (!line.startsWith(metric.prometheusName() + "_bucket{")) continue;
        if (!line.contains("endpoint=\"" + endpoint + "\"") || !line.contains("side=\"" + side + "\"")) continue;
        Matcher le = BUCKET.matcher(line);
        assertThat(le.find()).as("le in %s", line).isTrue();
        double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
        buckets.add(new double[] {bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))});
      }
      assertThat(buckets).as("%s buckets of endpoint %s, side %s", metric.prometheusName(), endpoint, side)
          .isNotEmpty();
      buckets.sort((a, b) -> Double.compare(a[0], b[0]));
      return new Histogram(buckets);
    }

    /** What {@code after} counted since {@code before}, bucket by bucket, as PromQL's increase() over a window. */
    static Histogram increase(String before, String after, Metric metric, String endpoint, String side) {
      List<double[]> start = parse(before, metric, endpoint, side).buckets();
      List<double[]> end = parse(after, metric, endpoint, side).buckets();
      assertThat(end).hasSameSizeAs(start);
      List<double[]> diff = new ArrayList<>();
      for (int i = 0; i < end.size(); i++) diff.add(new double[] {end.get(i)[0], end.get(i)[1] - start.get(i)[1]});
      return new Histogram(diff);
    }

    long count() {
      return (long) buckets.get(buckets.size() - 1)[1];
    }

    /** As PromQL's histogram_quantile: the bucket the rank falls in, interpolated linearly within it. */
    double quantile(double q) {
      double rank = q * count();
      double lower = 0;
      double below = 0;
      for (double[] b : buckets) {
        if (b[1] >= rank) {
          if (Double.isInfinite(b[0])) return lower;
          return lower + (b[0] - lower) * (rank - below) / Math.max(1e-9, b[1] - below);
        }
        lower = b[0];
        below = b[1];
      }
      return lower;
    }
  }
}
