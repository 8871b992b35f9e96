package io.parallelrun.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.parallelrun.testing.RealParts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.LatencyThresholdSpec;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Cluster;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.testing.Ports;
import io.parallelrun.testing.PrometheusProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * N ParallelRuns × M endpoints on the local API server with a real Prometheus, the operator running as the
 * shaded jar in its own JVM capped at -Xmx512m. Not part of the normal build; run with
 *
 * <pre>
 * mvn -B -pl operator package -DskipTests
 * mvn -B -pl operator test -Dtest=ScaleBenchmarkTest -Dbenchmark.scale=100x10,500x20
 * </pre>
 *
 * Add {@code -Dbenchmark.latencyGate=true} to give every endpoint a p99 latency gate (threshold.latency.p99Ratio
 * 1.2), so each run costs its second query per interval (the latency quantiles), as the exporter also serves both
 * sides' compared-latency histograms.
 *
 * Figures come from the operator's own /metrics: Prometheus queries per minute, how late analyses start after
 * their interval fired (parallelrun_analysis_delay), JOSDK's reconcile execution time, and heap in use.
 */
// kube-api-test pins --service-cluster-ip-range=10.0.0.0/24, so at most 254 proxy Services fit on its API server;
// beyond that the Service apply fails ("range is full"). For 500 runs, point the benchmark at the API server of
// hack/local-cluster.sh (a /16 Service range): -Dbenchmark.kubeconfig=$KUBECONFIG.
@EnabledIfSystemProperty(named = "benchmark.scale", matches = ".+")
@RealParts
class ScaleBenchmarkTest {
  static KubernetesClient client;
  static String kubeconfig;
  static KubeAPIServer ownServer;

  @BeforeAll
  static void cluster() throws Exception {
    String external = System.getProperty("benchmark.kubeconfig");
    if (external != null && !external.isBlank()) {
      kubeconfig = Files.readString(Path.of(external));
    } else {
      ownServer = new KubeAPIServer();
      ownServer.start();
      kubeconfig = ownServer.getKubeConfigYaml();
    }
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) client.close();
    if (ownServer != null) ownServer.stop();
  }

  static final String INTERVAL = System.getProperty("benchmark.interval", "10s");
  static final boolean LATENCY_GATE = Boolean.getBoolean("benchmark.latencyGate");
  static final Duration MEASURE = Duration.parse(System.getProperty("benchmark.measure", "PT60S"));
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void scale() throws Exception {
    Cluster.applyCrd(client);
    Path kubeconfigFile = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfigFile, kubeconfig);
    Path jar = Cluster.repoRoot().resolve("operator/target/parallel-run-operator.jar");
    assertThat(jar).as("build the jar first: mvn -pl operator package -DskipTests").exists();

    List<String> report = new ArrayList<>();
    try (ComparisonExporter exporter = new ComparisonExporter();
        PrometheusProcess prometheus = PrometheusProcess.startWith(List.of(), Duration.ofSeconds(5))) {
      exporter.scrapedBy(prometheus);
      for (String scale : System.getProperty("benchmark.scale").split(",")) {
        int n = Integer.parseInt(scale.split("x")[0]);
        int m = Integer.parseInt(scale.split("x")[1]);
        report.add(run(n, m, exporter, prometheus, jar, kubeconfigFile));
        System.out.println(report.get(report.size() - 1));
      }
    }
    System.out.println("\n| ParallelRuns × endpoints | interval | Prometheus queries/min | analysis start delay p50 / p99 / max | reconcile p50 / p99 | decision → watcher p50 / p99 / max (upper bound) | heap used max (-Xmx512m) | all analyzed after |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    report.forEach(System.out::println);
  }

  String run(int n, int m, ComparisonExporter exporter, PrometheusProcess prometheus, Path jar, Path kubeconfigFile)
      throws Exception {
    String ns = "scale-" + n + "x" + m;
    Cluster.createNamespace(client, ns);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        exporter.rates(ns, "run-" + i, "ep-" + j, 10, 0, 0, 0);
        if (LATENCY_GATE) exporter.latencies(ns, "run-" + i, "ep-" + j, 10, 0.02, 0.021);
      }
    }
    int healthPort = Ports.free();
    ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString(),
        "--prometheus-url=" + prometheus.url(), "--namespace=" + ns, "--health-port=" + healthPort,
        "--proxy-image=registry.example/proxy:bench")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(Files.createTempFile("operator-" + ns, ".log").toFile()));
    builder.environment().put("KUBECONFIG", kubeconfigFile.toString());
    Process operator = builder.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> get(healthPort, "/readyz").startsWith("ok"));
      long created = System.nanoTime();
      for (int i = 0; i < n; i++) {
        EndpointSpec[] endpoints = new EndpointSpec[m];
        for (int j = 0; j < m; j++) endpoints[j] = Manifests.endpoint("ep-" + j, HttpMethod.GET, "/p" + j);
        ThresholdSpec threshold = new ThresholdSpec(99.0, 10L, "1m", "1h");
        if (LATENCY_GATE) threshold.setLatency(new LatencyThresholdSpec(null, 1.2));
        ParallelRunSpec spec = Manifests.spec(threshold, null, endpoints);
        Manifests.withAnalysis(spec, null, INTERVAL);
        client.resource(Manifests.run(ns, "run-" + i, spec)).create();
      }
      // resourceVersion=0: served from the API server's watch cache, not a quorum read of every run from etcd,
      // which on a 2-core machine running 500 runs' status writes timed out (the benchmark, not the operator, failed).
      ListOptions fromCache = new ListOptionsBuilder().withResourceVersion("0").build();
      await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().until(() ->
          client.resources(ParallelRun.class).inNamespace(ns).list(fromCache).getItems().stream()
              .filter(r -> r.getStatus() != null && r.getStatus().getLastAnalysisTime() != null).count() == n);
      Duration toAllAnalyzed = Duration.ofNanos(System.nanoTime() - created);

      // Decision visible: each status change reaches a watcher (as it reaches the proxies) this long after the
      // decision's lastAnalysisTime. That timestamp has whole seconds, truncated: the figure is an upper bound,
      // up to 1s above the true lag. Added to how late the analysis started, it bounds the lag from the interval firing.
      List<Long> visibleMillis = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Long> writtenSeconds = java.util.Collections.synchronizedList(new ArrayList<>());
      Watch watch = client.resources(ParallelRun.class).inNamespace(ns).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, ParallelRun run) {
          if (action == Action.MODIFIED && run.getStatus() != null && run.getStatus().getLastAnalysisTime() != null) {
            Instant decided = Instant.parse(run.getStatus().getLastAnalysisTime());
            visibleMillis.add(Duration.between(decided, Instant.now()).toMillis());
            // When the API server stored the status write (whole seconds): splits operator-side from delivery lag.
            run.getMetadata().getManagedFields().stream()
                .filter(f -> "status".equals(f.getSubresource()) && f.getTime() != null)
                .map(f -> Instant.parse(f.getTime())).max(Instant::compareTo)
                .ifPresent(written -> writtenSeconds.add(Duration.between(decided, written).toSeconds()));
          }
        }

        @Override
        public void onClose(WatcherException cause) {}
      });
      String before = get(healthPort, "/metrics");
      long start = System.nanoTime();
      double heapMax = 0;
      while (System.nanoTime() - start < MEASURE.toNanos()) {
        Thread.sleep(5000); // sampling period of the heap gauge
        heapMax = Math.max(heapMax, sum(get(healthPort, "/metrics"), "jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\}"));
      }
      String after = get(healthPort, "/metrics");
      watch.close();
      List<Long> lags = new ArrayList<>(visibleMillis);
      java.util.Collections.sort(lags);
      List<Long> written = new ArrayList<>(writtenSeconds);
      java.util.Collections.sort(written);
      System.out.println("decision -> stored by the API server (whole seconds): p50 "
          + percentile(written, 0.5).replace(" ms", " s") + ", p99 " + percentile(written, 0.99).replace(" ms", " s")
          + ", max " + percentile(written, 1.0).replace(" ms", " s"));
      double minutes = (System.nanoTime() - start) / 60e9;
      double queries = sum(after, "parallelrun_prometheus_queries_seconds_count\\{[^}]*\\}")
          - sum(before, "parallelrun_prometheus_queries_seconds_count\\{[^}]*\\}");
      return String.format(Locale.ROOT, "| %d × %d%s | %s | %.0f (p99 %s) | %s / %s / %s | %s / %s | %s / %s / %s (%d status changes) | %.0f MiB | %ds |",
          n, m, LATENCY_GATE ? " (p99 gate)" : "", INTERVAL, queries / minutes,
          ms(after, "parallelrun_prometheus_queries_seconds\\{[^}]*quantile=\"0.99\"[^}]*\\}"),
          ms(after, "parallelrun_analysis_delay_seconds\\{quantile=\"0.5\"\\}"),
          ms(after, "parallelrun_analysis_delay_seconds\\{quantile=\"0.99\"\\}"),
          ms(after, "parallelrun_analysis_delay_seconds_max"),
          histogramQuantile(before, after, "operator_sdk_controllers_execution_reconcile_seconds", 0.5),
          histogramQuantile(before, after, "operator_sdk_controllers_execution_reconcile_seconds", 0.99),
          percentile(lags, 0.5), percentile(lags, 0.99), percentile(lags, 1.0), lags.size(),
          heapMax / 1024 / 1024, toAllAnalyzed.toSeconds());
    } finally {
      operator.destroy();
      operator.waitFor();
    }
  }

  /** The upper bound of the histogram bucket holding quantile q of the observations made between two scrapes. */
  static String histogramQuantile(String before, String after, String name, double q) {
    java.util.TreeMap<Double, Double> delta = new java.util.TreeMap<>();
    Pattern bucket = Pattern.compile("^" + name + "_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);
    for (String text : List.of(after, before)) {
      Matcher m = bucket.matcher(text);
      boolean subtract = text == before;
      while (m.find()) {
        double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
        delta.merge(le, subtract ? -Double.parseDouble(m.group(2)) : Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    if (delta.isEmpty()) return "n/a";
    double total = delta.lastEntry().getValue();
    for (var e : delta.entrySet()) {
      if (e.getValue() >= q * total) {
        return Double.isInfinite(e.getKey()) ? "> max bucket" : String.format(Locale.ROOT, "≤ %.0f ms", e.getKey() * 1000);
      }
    }
    return "n/a";
  }

  static String percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return "n/a";
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) + " ms";
  }

  static String get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  /** Sum of every sample whose name and labels match. */
  static double sum(String metrics, String series) {
    Matcher matcher = Pattern.compile("^" + series + " ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE).matcher(metrics);
    double total = 0;
    while (matcher.find()) {
      double v = Double.parseDouble(matcher.group(1));
      if (!Double.isNaN(v)) total += v;
    }
    return total;
  }

  static String ms(String metrics, String series) {
    Matcher matcher = Pattern.compile("^" + series + " ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE).matcher(metrics);
    double max = Double.NaN;
    while (matcher.find()) {
      double v = Double.parseDouble(matcher.group(1));
      max = Double.isNaN(max) ? v : Math.max(max, v);
    }
    return Double.isNaN(max) ? "n/a" : String.format(Locale.ROOT, "%.0f ms", max * 1000);
  }
}
