package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.operator.support.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The URL in spec.analysis.prometheus.url is chosen by whoever may create a ParallelRun, so the "Prometheus"
 * the operator talks to may be hostile: it may answer forever, answer too much, redirect, answer nonsense
 * numbers, or be no Prometheus at all (a port scan through the operator). Real servers on 127.0.0.1, the real
 * client and observer.
 */
class HostilePrometheusTest {
  static final String SECRET = "s3cr3t-from-the-remote-side";

  HttpServer server;
  final AtomicReference<HttpHandler> queryHandler = new AtomicReference<>();
  final AtomicInteger secretHits = new AtomicInteger();
  final ExecutorService serverThreads = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/query", ex -> queryHandler.get().handle(ex));
    // A path that is not the query API: nothing may ever make the operator fetch it.
    server.createContext("/secret", ex -> {
      secretHits.incrementAndGet();
      answer(ex, 200, PrometheusClientTest.vector(PrometheusClientTest.element("a", "matched", "100")));
    });
    server.setExecutor(serverThreads);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static ParallelRun run(String prometheusUrl) {
    return Manifests.run("shop", "orders", Manifests.withAnalysis(
        Manifests.spec(null, null, Manifests.endpoint("a", HttpMethod.GET, "/a")), prometheusUrl, "30s"));
  }

  static ObservedMetrics observe(PrometheusClient client, String prometheusUrl) {
    return new MetricsObserver(client, Optional.empty(), MetricsObserver.Instruments.NONE)
        .observe(run(prometheusUrl), Instant.now()).metrics();
  }

  static ObservedMetrics.Unavailable unavailable(ObservedMetrics metrics) {
    assertThat(metrics).isInstanceOf(ObservedMetrics.Unavailable.class);
    return (ObservedMetrics.Unavailable) metrics;
  }

  @Test
  void aHugeAnswerIsCutOffAtTheCapInsteadOfFillingTheHeap() {
    long total = 256L << 20; // 256 MiB, streamed chunked (no Content-Length to refuse up front)
    AtomicLong written = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    queryHandler.set(ex -> {
      ex.sendResponseHeaders(200, 0);
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) ' ');
      try (OutputStream out = ex.getResponseBody()) {
        out.write("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[".getBytes(StandardCharsets.UTF_8));
        for (long sent = 0; sent < total; sent += chunk.length) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
        out.write("]}}".getBytes(StandardCharsets.UTF_8));
      } catch (IOException closedByTheClient) {
        // expected: the client stops reading at its cap
      } finally {
        done.set(true);
      }
    });
    PrometheusClient client = new PrometheusClient(Duration.ofSeconds(30), 1 << 20);

    assertThatThrownBy(() -> client.query(url(), "up"))
        .isInstanceOfSatisfying(PrometheusClient.QueryException.class,
            e -> assertThat(e.statusMessage()).isEqualTo("answer too large"));
    await().atMost(Duration.ofSeconds(10)).untilTrue(done);
    assertThat(written.get()).as("the client hung up soon after its 1 MiB cap").isLessThan(32L << 20);
  }

  @Test
  void oneByteASecondCannotHoldTheQueryPastItsDeadline() throws IOException {
    try (ServerSocket trickle = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      serverThreads.submit(() -> {
        try (Socket socket = trickle.accept()) {
          socket.getInputStream().read(new byte[8192]);
          OutputStream out = socket.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          for (int i = 0; i < 60; i++) { // bounded: at most a minute, one byte a second
            Thread.sleep(1000);
            out.write(' ');
            out.flush();
          }
        } catch (IOException | InterruptedException e) {
          // the client gave up, or the test ended
        }
        return null;
      });
      PrometheusClient client = new PrometheusClient(Duration.ofSeconds(1), 1 << 20);

      long start = System.nanoTime();
      assertThatThrownBy(() -> client.query("http://127.0.0.1:" + trickle.getLocalPort(), "up"))
          .isInstanceOfSatisfying(PrometheusClient.QueryException.class,
              e -> assertThat(e.statusMessage()).isEqualTo("timed out"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one deadline for connect, headers and body")
          .isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aRedirectIsAnErrorAndIsNotFollowed() {
    queryHandler.set(ex -> {
      ex.getResponseHeaders().set("Location", url() + "/secret");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    ObservedMetrics metrics = observe(new PrometheusClient(Duration.ofSeconds(2), 1 << 20), url());

    assertThat(unavailable(metrics).message()).isEqualTo("Prometheus answered HTTP 302");
    assertThat(secretHits.get()).isZero();
  }

  @Test
  void aFragmentCannotCutOffTheQueryPath() {
    queryHandler.set(ex -> answer(ex, 200, PrometheusClientTest.vector()));
    ObservedMetrics metrics = observe(new PrometheusClient(Duration.ofSeconds(2), 1 << 20), url() + "/secret#");

    assertThat(secretHits.get()).as("/secret#/api/v1/query must not fetch /secret").isZero();
    assertThat(unavailable(metrics).reason()).isEqualTo("InvalidPrometheusUrl");
    assertThat(unavailable(metrics).message()).contains("spec.analysis.prometheus.url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/secret#", "/secret?x=", "/secret?", "/secret?x=#"})
  void noUrlSuffixReachesAnyPathButTheQueryApi(String suffix) {
    queryHandler.set(ex -> answer(ex, 200, PrometheusClientTest.vector()));
    observe(new PrometheusClient(Duration.ofSeconds(2), 1 << 20), url() + suffix);
    assertThat(secretHits.get()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:9/#", "http://127.0.0.1:9/?query=up", "http://user:pw@127.0.0.1:9",
      "ftp://127.0.0.1:9", "file:///etc/passwd", "127.0.0.1:9090", "http:///nohost", "http://127.0.0.1:9/a b"})
  void urlsWithQueryFragmentUserInfoOrAnotherSchemeAreRejectedNamingTheField(String bad) {
    assertThatThrownBy(() -> PrometheusUrl.parse(bad, "spec.analysis.prometheus.url"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.analysis.prometheus.url: ");
  }

  @Test
  void theQueryPathIsAppendedToAnyBasePath() {
    assertThat(PrometheusUrl.parse("https://prom.example:9090/tenant-a/", "f").queryUri("up{a=\"b\"}").toString())
        .isEqualTo("https://prom.example:9090/tenant-a/api/v1/query?query=up%7Ba%3D%22b%22%7D");
    assertThat(PrometheusUrl.parse("http://prom.example", "f").queryUri("up").toString())
        .isEqualTo("http://prom.example/api/v1/query?query=up");
  }

  @Test
  void remoteErrorTextNeverReachesStatus() {
    PrometheusClient client = new PrometheusClient(Duration.ofSeconds(2), 1 << 20);
    queryHandler.set(ex -> answer(ex, 400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"" + SECRET + "\"}"));
    assertThat(unavailable(observe(client, url())).message()).isEqualTo("Prometheus answered HTTP 400");

    queryHandler.set(ex -> answer(ex, 200, "{\"status\":\"error\",\"errorType\":\"" + SECRET + "\",\"error\":\"" + SECRET + "\"}"));
    assertThat(unavailable(observe(client, url())).message()).doesNotContain(SECRET).isEqualTo("malformed answer");

    queryHandler.set(ex -> answer(ex, 200, "<html>" + SECRET + "</html>"));
    assertThat(unavailable(observe(client, url())).message()).isEqualTo("malformed answer");

    queryHandler.set(ex -> answer(ex, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"" + SECRET + "\"}}"));
    assertThat(unavailable(observe(client, url())).message()).isEqualTo("malformed answer");
  }

  @Test
  void aRefusedPortAndASilentOpenPortLookTheSameInStatus() throws IOException {
    PrometheusClient client = new PrometheusClient(Duration.ofMillis(500), 1 << 20);
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    ObservedMetrics.Unavailable refused = unavailable(observe(client, "http://127.0.0.1:" + closed));
    ObservedMetrics.Unavailable silent;
    try (ServerSocket open = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      // Accepted by the kernel's backlog, never answered: an open port that speaks no HTTP.
      silent = unavailable(observe(client, "http://127.0.0.1:" + open.getLocalPort()));
    }
    assertThat(refused.message()).isEqualTo("Prometheus unreachable or timed out")
        .doesNotContainIgnoringCase("refused").doesNotContain(String.valueOf(closed));
    assertThat(silent).isEqualTo(refused);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+Inf", "-Inf", "NaN", "-5", "1e300"})
  void aCountThatIsNoCountMeansNoDataNotADecision(String value) {
    queryHandler.set(ex -> answer(ex, 200, PrometheusClientTest.vector(
        PrometheusClientTest.element("a", "matched", value), PrometheusClientTest.element("a", "unmatched", "3"))));
    ObservedMetrics metrics = observe(new PrometheusClient(Duration.ofSeconds(2), 1 << 20), url());

    assertThat(unavailable(metrics).reason()).isEqualTo("BadData");
    assertThat(unavailable(metrics).message()).isEqualTo("malformed answer: a count that is not a finite, non-negative number");
  }
}
