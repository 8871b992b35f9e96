package io.parallelrun.operator.it;

import static io.parallelrun.operator.support.Cluster.condition;
import static io.parallelrun.operator.support.Cluster.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.ParallelRunOperator;
import io.parallelrun.operator.decide.Times;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RealParts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens when parts go away: Prometheus stops, the operator is restarted mid-hold. Each test gets its own
 * Prometheus and operator, since both are stopped on purpose.
 */
@EnableKubeAPIServer
@RealParts
class ResilienceOnApiServerTest {
  static KubernetesClient client;
  ComparisonExporter exporter;
  PrometheusProcess prometheus;
  ParallelRunOperator operator;

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @BeforeAll
  static void installCrd() {
    Cluster.applyCrd(client);
  }

  @BeforeEach
  void start() {
    exporter = new ComparisonExporter();
    prometheus = PrometheusProcess.startWith(List.of(), Duration.ofSeconds(1));
    exporter.scrapedBy(prometheus);
    operator = Cluster.startOperator(client, prometheus.url());
  }

  @AfterEach
  void stop() {
    if (operator != null) operator.close();
    prometheus.close();
    exporter.close();
  }

  static void create(String ns, ParallelRunSpec spec) {
    Cluster.createNamespace(client, ns);
    client.resource(Manifests.run(ns, "orders", Manifests.withAnalysis(spec, null, "1s"))).create();
  }

  @Test
  void prometheusStoppedFreezesWeightsAndSaysSoThenResumes() {
    String ns = "prometheus-stopped";
    create(ns, Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "3s"), List.of(50, 100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> Integer.valueOf(50).equals(endpoint(client, ns, "orders", "get-order").getWeight()));

    prometheus.stop();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        "False/QueryFailed".equals(condition(client, ns, "orders", ParallelRunStatus.METRICS_AVAILABLE)));
    // The 3s hold at 50 would have ended by now: without data nothing moves, in either direction.
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
      EndpointStatus e = endpoint(client, ns, "orders", "get-order");
      assertThat(e.getWeight()).isEqualTo(50);
      assertThat(e.getReadySince()).as("hold restarts when data is back").isNull();
    });
    var status = Cluster.get(client, ns, "orders").getStatus();
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(client, ns, "orders", ParallelRunStatus.PROGRESSING)).isEqualTo("False/MetricsUnavailable");

    prometheus.startAgain();
    await().atMost(TIMEOUT).until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.CutOver);
    assertThat(condition(client, ns, "orders", ParallelRunStatus.METRICS_AVAILABLE)).isEqualTo("True/QuerySucceeded");
  }

  @Test
  void operatorRestartedMidHoldContinuesTheSameHoldWithoutRepeatingOrSkippingAStep() throws Exception {
    String ns = "operator-restarted";
    create(ns, Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "6s"), List.of(25, 100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);

    AtomicReference<String> readySince = new AtomicReference<>();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      EndpointStatus e = endpoint(client, ns, "orders", "get-order");
      readySince.set(e.getReadySince());
      return e.getState() == EndpointState.Ready;
    });
    operator.close();
    operator = null;
    Thread.sleep(2000); // the operator is down for part of the hold (a scenario step, not an assertion)
    operator = Cluster.startOperator(client, prometheus.url());

    AtomicReference<String> stepAt = new AtomicReference<>();
    java.util.Set<String> holdStartsSeenAtZero = java.util.concurrent.ConcurrentHashMap.newKeySet();
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
      EndpointStatus e = endpoint(client, ns, "orders", "get-order");
      if (Integer.valueOf(0).equals(e.getWeight()) && e.getReadySince() != null) holdStartsSeenAtZero.add(e.getReadySince());
      stepAt.set(e.getReadySince()); // a step restarts the hold: readySince is the time of the step
      return Integer.valueOf(25).equals(e.getWeight());
    });
    Instant stepSeen = Instant.now();
    Instant holdStart = Times.parse(readySince.get());
    // Continued, not restarted: the restarted operator kept the hold start it found in status...
    assertThat(holdStartsSeenAtZero).containsOnly(readySince.get());
    // ...and stepped once the hold was over, counted from that start.
    assertThat(Duration.between(holdStart, stepSeen)).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    assertThat(Duration.between(holdStart, Times.parse(stepAt.get()))).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
    // Exactly one step, not skipped to 100 nor repeated.
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        assertThat(endpoint(client, ns, "orders", "get-order").getWeight()).isEqualTo(25));
    assertThat(client.v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "Promoted".equals(e.getReason())).hasSize(1);
  }

  /**
   * Issue 27's "the operator keeps reconciling other ParallelRuns while one points at a hostile Prometheus",
   * measured: the same healthy run's time to cut over, alone and then next to runs whose Prometheus answers one
   * byte a second (each query held until the operator's deadline, every interval). The figures are in
   * docs/security.md.
   */
  @Test
  void runsNextToHostilePrometheusUrlsCutOverAsFastAsAlone() throws Exception {
    Duration alone = timeToCutOver("calm-alone");

    int hostileRuns = 8;
    try (TricklingServer hostile = new TricklingServer()) {
      for (int i = 0; i < hostileRuns; i++) {
        String ns = "hostile-" + i;
        Cluster.createNamespace(client, ns);
        client.resource(Manifests.run(ns, "orders", Manifests.withAnalysis(Manifests.spec(
            new ThresholdSpec(99.0, 20L, "10s", "3s"), List.of(50, 100),
            Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")), hostile.url(), "1s"))).create();
      }
      for (int i = 0; i < hostileRuns; i++) {
        String ns = "hostile-" + i;
        await().atMost(TIMEOUT).until(() ->
            "False/Timeout".equals(condition(client, ns, "orders", ParallelRunStatus.METRICS_AVAILABLE)));
      }
      Duration withHostile = timeToCutOver("calm-next-to-hostile");
      System.out.printf("time to cut over (steps 50,100; holdFor 3s): alone %d ms, next to %d hostile runs %d ms;"
          + " hostile connections opened %d%n", alone.toMillis(), hostileRuns, withHostile.toMillis(), hostile.accepted());
      assertThat(hostile.accepted()).as("the hostile Prometheus was queried again and again").isGreaterThan(hostileRuns);
      assertThat(withHostile).as("alone it took %s", alone).isLessThan(alone.plusSeconds(5));
    }
  }

  private Duration timeToCutOver(String ns) {
    Instant start = Instant.now();
    create(ns, Manifests.spec(new ThresholdSpec(99.0, 20L, "10s", "3s"), List.of(50, 100),
        Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")));
    exporter.rates(ns, "orders", "get-order", 20, 0, 0, 0);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> endpoint(client, ns, "orders", "get-order").getState() == EndpointState.CutOver);
    return Duration.between(start, Instant.now());
  }

  /** Answers every connection with a 200 head and then one body byte a second, at most 120 bytes. */
  static final class TricklingServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "trickling-prometheus");
      t.setDaemon(true);
      return t;
    });
    private final AtomicInteger accepted = new AtomicInteger();

    TricklingServer() throws IOException {
      threads.execute(() -> {
        while (!socket.isClosed()) {
          try {
            Socket connection = socket.accept();
            accepted.incrementAndGet();
            threads.execute(() -> trickle(connection));
          } catch (IOException e) {
            return; // closed
          }
        }
      });
    }

    private static void trickle(Socket connection) {
      try (connection; OutputStream out = connection.getOutputStream()) {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 120 && !connection.isClosed(); i++) {
          out.write('{');
          out.flush();
          Thread.sleep(1000);
        }
      } catch (IOException | InterruptedException e) {
        // the operator gave up on it, as it should
      }
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      threads.shutdownNow();
    }
  }
}
