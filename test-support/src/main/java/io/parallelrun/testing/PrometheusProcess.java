package io.parallelrun.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}, or {@code $PROMETHEUS_BIN}) on 127.0.0.1, scraping
 * the given targets every {@code scrapeInterval}, with its own temporary config and data directory.
 * It can be stopped and started again on the same port and data, to test what happens while it is gone.
 *
 * <pre>
 * try (PrometheusProcess prometheus = PrometheusProcess.start(List.of("127.0.0.1:9901"), Duration.ofSeconds(1))) {
 *   prometheus.url(); // http://127.0.0.1:&lt;port&gt;
 * }
 * </pre>
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final int port;
  private static final String TARGETS_FILE = "targets.json";

  private final Path log;
  private final List<Target> targets = new ArrayList<>();
  private Process process;

  private PrometheusProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.log = dir.resolve("prometheus.log");
  }

  public static String binary() {
    String bin = System.getenv("PROMETHEUS_BIN");
    return bin != null && !bin.isBlank() ? bin : "/usr/bin/prometheus";
  }

  public static boolean available() {
    return Files.isExecutable(Path.of(binary()));
  }

  /**
   * A scrape target and the target labels Prometheus itself attaches to it. In a cluster, kubernetes_sd and its
   * relabelling (or a PodMonitor) attach {@code namespace} and {@code pod}; here {@link #pod} does the same.
   * Labels starting with {@code __} configure the scrape, e.g. {@code __metrics_path__}.
   */
  public record Target(String address, Map<String, String> labels) {
    public Target {
      labels = Map.copyOf(labels);
    }

    /** A target with no labels of its own (job and instance only), e.g. the operator. */
    public static Target of(String address) {
      return new Target(address, Map.of());
    }

    /** A target as a pod of that name in that namespace would be, scraped at metricsPath. */
    public static Target pod(String address, String metricsPath, String namespace, String pod) {
      return new Target(address, Map.of("__metrics_path__", metricsPath, "namespace", namespace, "pod", pod));
    }
  }

  public static PrometheusProcess start(List<String> targets, Duration scrapeInterval) {
    return startWith(targets.stream().map(Target::of).toList(), scrapeInterval);
  }

  /**
   * Targets are listed in a file_sd file, so that {@link #addTarget} can add more while Prometheus runs.
   * honor_labels is false (Prometheus' default), as it must be where tenants' pods are scraped: a label the
   * target itself exports (say {@code namespace}) never overrides the one Prometheus attached; it is kept as
   * {@code exported_namespace}.
   */
  public static PrometheusProcess startWith(List<Target> targets, Duration scrapeInterval) {
    try {
      Path dir = Files.createTempDirectory("prometheus-");
      String interval = Math.max(1, scrapeInterval.toMillis()) + "ms";
      Files.writeString(dir.resolve("prometheus.yml"), """
          global:
            scrape_interval: %s
            evaluation_interval: %s
          scrape_configs:
            - job_name: parallel-run-proxy
              honor_labels: false
              file_sd_configs:
                - files: ['%s']
                  refresh_interval: 1s
          """.formatted(interval, interval, dir.resolve(TARGETS_FILE)));
      PrometheusProcess prometheus = new PrometheusProcess(dir, Ports.free());
      for (Target target : targets) prometheus.targets.add(target);
      prometheus.writeTargets();
      prometheus.startAgain();
      return prometheus;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds a scrape target; Prometheus reads the file_sd file again within about a second. */
  public synchronized void addTarget(Target target) {
    if (targets.contains(target)) return;
    targets.add(target);
    writeTargets();
  }

  private synchronized void writeTargets() {
    StringBuilder json = new StringBuilder("[");
    for (Target target : targets) {
      if (json.length() > 1) json.append(',');
      json.append("{\"targets\":[\"").append(target.address()).append("\"],\"labels\":{");
      json.append(target.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").collect(Collectors.joining(",")));
      json.append("}}");
    }
    json.append(']');
    try {
      // Written aside and moved into place, so Prometheus never reads half a file.
      Path tmp = dir.resolve(TARGETS_FILE + ".tmp");
      Files.writeString(tmp, json);
      Files.move(tmp, dir.resolve(TARGETS_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts (again) on the same port and data directory; returns once Prometheus reports ready. */
  public synchronized PrometheusProcess startAgain() {
    if (isRunning()) return this;
    try {
      process = new ProcessBuilder(binary(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--storage.tsdb.retention.time=1h",
          "--log.level=warn")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("prometheus exited: " + logTail());
      if (ready()) return this;
      sleep(100);
    }
    throw new IllegalStateException("prometheus not ready within 30s: " + logTail());
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the process (SIGTERM, then SIGKILL); the data directory stays for {@link #startAgain()}. */
  public synchronized void stop() {
    if (process == null) return;
    Processes.stop(process, 10);
    process = null;
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is no test failure
    }
  }

  private boolean ready() {
    try {
      HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String logTail() {
    try {
      String text = Files.readString(log);
      return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
