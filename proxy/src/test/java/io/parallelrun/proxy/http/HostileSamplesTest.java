package io.parallelrun.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.parallelrun.proxy.compare.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers built to leak personal data into mismatch samples and logs, or to make /mismatches slow: real backends,
 * the real proxy, the real admin port, the mismatch logger captured.
 */
class HostileSamplesTest extends ProxyTestBase {
  static final String SSN = "123-45-6789";
  static final String EMAIL = "jane.doe@example.com";
  static final String ENDPOINTS = """
        - name: text
          method: GET
          path: /text/{id}
        - name: xml
          method: GET
          path: /xml/{id}
        - name: broken-json
          method: GET
          path: /broken/{id}
        - name: get-order
          method: GET
          path: /orders/{id}
        - name: files
          method: GET
          path: /files/**
        - name: deep
          method: GET
          path: /deep/{id}
        - name: big
          method: GET
          path: /big/{id}
      """;
  /** A JSON string value a little under the default --max-body-bytes, so its answers are compared and sampled. */
  static final int BIG = 900_000;

  CapturedLog log;

  @BeforeEach
  void captureLog() {
    log = new CapturedLog("io.parallelrun.proxy.mismatch");
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  /** Every answer carries the side's name, so legacy and the candidate always differ. */
  @Override
  BiConsumer<HttpServerRequest, Buffer> answers(String side) {
    return (req, body) -> {
      String path = req.path();
      String type = "application/json";
      String answer;
      if (path.startsWith("/text/")) {
        type = "text/plain";
        answer = "customer ssn=" + SSN + " email=" + EMAIL + " side=" + side;
      } else if (path.startsWith("/xml/")) {
        type = "application/xml";
        answer = "<customer><ssn>" + SSN + "</ssn><email>" + EMAIL + "</email><side>" + side + "</side></customer>";
      } else if (path.startsWith("/broken/")) { // a trailing comma: not JSON, so no JSON path can redact it
        answer = "{\"ssn\":\"" + SSN + "\",\"email\":\"" + EMAIL + "\",\"side\":\"" + side + "\",}";
      } else if (path.startsWith("/deep/") && side.equals("legacy")) { // the diff replaces all of it
        answer = "[".repeat(995) + "\"" + side + "\"" + "]".repeat(995);
      } else if (path.startsWith("/big/")) {
        answer = "{\"blob\":\"" + side.substring(0, 1).repeat(BIG) + "\"}";
      } else {
        answer = "{\"side\":\"" + side + "\"}";
      }
      req.response().putHeader("Content-Type", type).end(answer);
    };
  }

  private void start(String dataProtection, String... flags) throws Exception {
    List<String> all = new ArrayList<>(List.of("--mismatch-logs-per-second", "1000"));
    all.addAll(List.of(flags));
    proxy = new ProxyFixture(ProxyFixture.manifest(legacy.url(), candidate.url(), dataProtection, ENDPOINTS, ""),
        all.toArray(String[]::new));
  }

  private void mismatchOn(String endpoint, String path) throws Exception {
    double before = proxy.comparisons(endpoint, "unmatched");
    assertThat(proxy.get(path).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.comparisons(endpoint, "unmatched") > before);
  }

  private JsonNode samples(String endpoint) throws Exception {
    HttpResponse<String> r = proxy.adminGet("/mismatches");
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("endpoints").path(endpoint);
  }

  /** Waits for the mismatch log lines of these endpoints: written after the sample is stored. */
  private void awaitLogged(String... endpoints) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      String all = log.all();
      for (String e : endpoints) {
        if (!all.contains("endpoint=" + e + " ")) return false;
      }
      return true;
    });
  }

  @Test
  void redactedModeNeverStoresOrLogsBodiesItCannotRedact() throws Exception {
    start("""
          dataProtection:
            mismatchSamples: Redacted
            redactJsonPaths: ["$.ssn", "$.email"]
        """);
    mismatchOn("text", "/text/1");
    mismatchOn("xml", "/xml/1");
    mismatchOn("broken-json", "/broken/1");
    awaitLogged("text", "xml", "broken-json");

    String stored = proxy.adminGet("/mismatches").body();
    String logged = log.all();
    assertThat(stored).doesNotContain(SSN, EMAIL, "123456789");
    assertThat(logged).doesNotContain(SSN, EMAIL, "123456789");
    for (String endpoint : List.of("text", "xml", "broken-json")) {
      JsonNode sample = samples(endpoint);
      assertThat(sample.size()).as("samples of %s", endpoint).isEqualTo(1);
      // what is kept instead: content type, length and a keyed digest (equal bodies look equal, nothing else)
      assertThat(sample.toString()).contains("\"path\":\"/body");
    }
    // the withheld bodies (media type, length, keyed digest) differ only in length and digest
    for (String endpoint : List.of("text", "xml", "broken-json")) {
      assertThat(samples(endpoint).toString()).contains("/body/digest", "hmac-sha256:");
    }
  }

  @Test
  void redactedModeShowsTheEndpointTemplateInsteadOfThePathAndDropsTheQuery() throws Exception {
    start("");
    mismatchOn("get-order", "/orders/tok-SECRETPATH?access_token=SECRETQUERY&page=2");
    mismatchOn("files", "/files/a/SECRETTAIL/b.txt?sig=SECRETSIG");
    awaitLogged("get-order", "files");

    String stored = proxy.adminGet("/mismatches").body();
    assertThat(stored).doesNotContain("SECRET");
    assertThat(log.all()).doesNotContain("SECRET");
    assertThat(samples("get-order").get(0).path("path").asText()).isEqualTo("/orders/{id}");
    assertThat(samples("files").get(0).path("path").asText()).isEqualTo("/files/**");
    assertThat(log.all()).contains("path=\"/orders/{id}\"", "path=\"/files/**\"");
  }

  @Test
  void pathsAreKeptWhenRedactPathsIsTurnedOffAndInFullMode() throws Exception {
    start("""
          dataProtection:
            redactPaths: false
        """);
    mismatchOn("get-order", "/orders/o-17?access_token=SECRETQUERY");
    awaitLogged("get-order");
    assertThat(samples("get-order").get(0).path("path").asText()).isEqualTo("/orders/o-17");
    assertThat(proxy.adminGet("/mismatches").body() + log.all()).doesNotContain("SECRETQUERY"); // Redacted: no query
    proxy.close();

    start("""
          dataProtection:
            mismatchSamples: Full
        """);
    mismatchOn("get-order", "/orders/o-18?page=3");
    JsonNode sample = samples("get-order").get(0);
    assertThat(sample.path("path").asText()).isEqualTo("/orders/o-18");
    assertThat(sample.path("query").asText()).isEqualTo("page=3");
  }

  @Test
  void aSampleNestedDeeperThanTheBoundDoesNotStopMismatchesAnswering() throws Exception {
    start("""
          dataProtection:
            mismatchSamples: Full
        """);
    mismatchOn("deep", "/deep/1");
    awaitLogged("deep");
    HttpResponse<String> r = ProxyFixture.HTTP.send(HttpRequest.newBuilder(proxy.admin("/mismatches"))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(r.body()).path("endpoints").path("deep").size()).isEqualTo(1);
  }

  private static final int FETCHERS = 3;

  /** Latencies of that many client requests in a row (answered by legacy: they match no endpoint). */
  private List<Long> clientMillis(int count) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      assertThat(proxy.get("/unmatched/" + i).statusCode()).isEqualTo(200);
      millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
    return millis;
  }

  @Test
  void fetchingBigSamplesDoesNotStallClientRequests() throws Exception {
    // One event loop: the admin port and the clients share it, the worst case for a slow /mismatches.
    start("""
          dataProtection:
            mismatchSamples: Full
        """, "--event-loops", "1", "--samples-per-endpoint", "20");
    for (int i = 0; i < 20; i++) mismatchOn("big", "/big/" + i);
    await().atMost(Duration.ofSeconds(10)).until(() -> samples("big").size() == 20);

    // The machine is shared, so "slow" is judged against the same requests without /mismatches being fetched.
    List<Long> quiet = clientMillis(60);
    long bound = Math.max(1500, 4 * quiet.stream().mapToLong(Long::longValue).sum());

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger fetches = new AtomicInteger();
    ExecutorService fetcher = Executors.newFixedThreadPool(FETCHERS);
    try {
      List<Future<?>> fetching = new ArrayList<>();
      for (int f = 0; f < FETCHERS; f++) {
        fetching.add(fetcher.submit(() -> {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
          while (!stop.get() && System.nanoTime() < deadline) {
            HttpResponse<Void> r = ProxyFixture.HTTP.send(HttpRequest.newBuilder(proxy.admin("/mismatches"))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(200);
            fetches.incrementAndGet();
          }
          return null;
        }));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> fetches.get() >= 1);
      List<Long> busy = clientMillis(60);
      stop.set(true);
      for (Future<?> f : fetching) f.get(90, TimeUnit.SECONDS);
      // Serialising ~36 MB on the shared event loop stalled a client request by 0.2-2.6 s at each fetch: these 60
      // took 4-10 s in all (0.2-0.9 s when quiet); with the samples capped and assembled off the loop, under 1 s.
      assertThat(busy.stream().mapToLong(Long::longValue).sum())
          .as("total ms of 60 client requests while /mismatches is fetched: %s (quiet: %s)", busy, quiet)
          .isLessThan(bound);
      assertThat(fetches.get()).isGreaterThan(1);
    } finally {
      stop.set(true);
      fetcher.shutdownNow();
    }
  }
}
