package io.parallelrun.operator.support;

import com.sun.net.httpserver.HttpServer;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.testing.PrometheusProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands in for the proxy's admin port in tests: serves {@code parallelrun_comparisons_total} in the
 * Prometheus text format, with counters that grow at per-second rates the test sets. Growing counters (rather
 * than fixed values) make increase() over a window behave as it does with live traffic.
 */
public final class ComparisonExporter implements AutoCloseable {
  private record Key(String namespace, String parallelrun, String endpoint, String result) {}

  private static final class Counter {
    double value;
    double perSecond;
    long lastNanos = System.nanoTime();

    void advance(long now) {
      value += perSecond * (now - lastNanos) / 1e9;
      lastNanos = now;
    }
  }

  private final Map<Key, Counter> counters = new TreeMap<>(
      java.util.Comparator.comparing(Key::namespace).thenComparing(Key::parallelrun)
          .thenComparing(Key::endpoint).thenComparing(Key::result));
  private final HttpServer server;
  private volatile PrometheusProcess prometheus;

  public ComparisonExporter() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // /metrics/<namespace>/<parallelrun>: one run's counters, as that run's proxy pods would export them.
    server.createContext("/metrics", exchange -> {
      String[] path = exchange.getRequestURI().getPath().split("/");
      byte[] body = (path.length == 4 ? render(path[2], path[3]) : render(null, null)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** host:port, for a Prometheus scrape target. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The metrics path of one run's counters. */
  public static String path(String namespace, String parallelrun) {
    return "/metrics/" + namespace + "/" + parallelrun;
  }

  /** The run's counters as a scrape target that is a proxy pod of that run, labelled as Prometheus would in-cluster. */
  public PrometheusProcess.Target proxyPod(String namespace, String parallelrun) {
    return PrometheusProcess.Target.pod(target(), path(namespace, parallelrun), namespace, parallelrun + "-proxy-6d5f8b9c7-x2k4p");
  }

  /** From now on, each run given {@link #rates} becomes a target of this Prometheus, as a proxy pod of the run. */
  public ComparisonExporter scrapedBy(PrometheusProcess prometheus) {
    this.prometheus = prometheus;
    return this;
  }

  /** Comparisons per second from now on, for one endpoint of one ParallelRun. */
  public synchronized ComparisonExporter rates(String namespace, String parallelrun, String endpoint,
      double matched, double unmatched, double failed, double skipped) {
    if (prometheus != null) prometheus.addTarget(proxyPod(namespace, parallelrun));
    set(new Key(namespace, parallelrun, endpoint, ComparisonResult.matched.name()), matched);
    set(new Key(namespace, parallelrun, endpoint, ComparisonResult.unmatched.name()), unmatched);
    set(new Key(namespace, parallelrun, endpoint, ComparisonResult.failed.name()), failed);
    set(new Key(namespace, parallelrun, endpoint, ComparisonResult.skipped.name()), skipped);
    return this;
  }

  private void set(Key key, double perSecond) {
    Counter counter = counters.computeIfAbsent(key, k -> new Counter());
    counter.advance(System.nanoTime());
    counter.perSecond = perSecond;
  }

  private synchronized String render(String namespace, String parallelrun) {
    long now = System.nanoTime();
    String metric = Metric.COMPARISONS.prometheusName();
    StringBuilder out = new StringBuilder()
        .append("# HELP ").append(metric).append(" Comparisons of legacy and candidate responses, by result.\n")
        .append("# TYPE ").append(metric).append(" counter\n");
    counters.forEach((key, counter) -> {
      counter.advance(now);
      if (namespace != null && !(key.namespace().equals(namespace) && key.parallelrun().equals(parallelrun))) return;
      out.append(metric).append('{').append(MetricLabels.NAMESPACE).append("=\"").append(key.namespace())
          .append("\",").append(MetricLabels.PARALLELRUN).append("=\"").append(key.parallelrun())
          .append("\",").append(MetricLabels.ENDPOINT).append("=\"").append(key.endpoint())
          .append("\",").append(MetricLabels.RESULT).append("=\"").append(key.result())
          .append("\"} ").append(Math.floor(counter.value)).append('\n');
    });
    return out.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
