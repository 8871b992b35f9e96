package io.parallelrun.operator.support;

import com.sun.net.httpserver.HttpServer;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.api.metrics.Side;
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
 * Stands in for the proxy's admin port in tests: serves {@code parallelrun_comparisons_total}, once a test sets
 * {@link #latencies} the {@code parallelrun_compared_latency_seconds} histogram of both sides, and once it sets
 * {@link #fields} or {@link #ignored} the per-field {@code parallelrun_mismatch_fields_total},
 * {@code parallelrun_noise_fields_total} and {@code parallelrun_noise_ignored_fields}, in the Prometheus text format, with counters that grow at per-second rates the test sets. Growing counters (rather than fixed
 * values) make increase() and rate() over a window behave as they do with live traffic.
 */
public final class ComparisonExporter implements AutoCloseable {
  private record Key(String namespace, String parallelrun, String endpoint, String result) {}

  /** One side's latency histogram of one endpoint; {@code le} is a bucket bound, "+Inf" or "sum" for _sum. */
  private record BucketKey(String namespace, String parallelrun, String endpoint, String side, String le) {}

  /** One field's series of one endpoint: {@code metric} is the Prometheus name of a per-field metric. */
  private record FieldKey(String metric, String namespace, String parallelrun, String endpoint, String field) {}

  /** Bucket bounds in seconds, a subset of Micrometer's percentile histogram ones. */
  static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

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
  private final Map<BucketKey, Counter> buckets = new TreeMap<>(
      java.util.Comparator.comparing(BucketKey::namespace).thenComparing(BucketKey::parallelrun)
          .thenComparing(BucketKey::endpoint).thenComparing(BucketKey::side).thenComparing(BucketKey::le));
  private final Map<FieldKey, Counter> fields = new TreeMap<>(
      java.util.Comparator.comparing(FieldKey::metric).thenComparing(FieldKey::namespace)
          .thenComparing(FieldKey::parallelrun).thenComparing(FieldKey::endpoint).thenComparing(FieldKey::field));
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

  /**
   * From now on, {@code perSecond} compared requests a second of one endpoint, each answered by legacy in
   * {@code legacySeconds} and by the candidate in {@code candidateSeconds}, as the proxy's compared-latency
   * histogram counts them. Buckets only grow, so a later change of latency shows as rate() does with live traffic.
   */
  public synchronized ComparisonExporter latencies(String namespace, String parallelrun, String endpoint,
      double perSecond, double legacySeconds, double candidateSeconds) {
    if (prometheus != null) prometheus.addTarget(proxyPod(namespace, parallelrun));
    side(namespace, parallelrun, endpoint, Side.legacy, perSecond, legacySeconds);
    side(namespace, parallelrun, endpoint, Side.candidate, perSecond, candidateSeconds);
    return this;
  }

  /**
   * From now on, {@code mismatchedPerSecond} unmatched comparisons a second of one endpoint differ at {@code field},
   * and {@code noisePerSecond} noise probes a second see legacy differ from itself there, as the proxy counts them.
   */
  public synchronized ComparisonExporter fields(String namespace, String parallelrun, String endpoint, String field,
      double mismatchedPerSecond, double noisePerSecond) {
    if (prometheus != null) prometheus.addTarget(proxyPod(namespace, parallelrun));
    setCounter(fields, new FieldKey(Metric.MISMATCH_FIELDS.prometheusName(), namespace, parallelrun, endpoint, field),
        mismatchedPerSecond);
    setCounter(fields, new FieldKey(Metric.NOISE_FIELDS.prometheusName(), namespace, parallelrun, endpoint, field),
        noisePerSecond);
    return this;
  }

  /** From now on, the proxy ignores {@code field} of one endpoint as learned noise (the gauge is 1). */
  public synchronized ComparisonExporter ignored(String namespace, String parallelrun, String endpoint, String field) {
    if (prometheus != null) prometheus.addTarget(proxyPod(namespace, parallelrun));
    Counter gauge = fields.computeIfAbsent(
        new FieldKey(Metric.NOISE_IGNORED_FIELDS.prometheusName(), namespace, parallelrun, endpoint, field), k -> new Counter());
    gauge.value = 1;
    return this;
  }

  private void side(String namespace, String parallelrun, String endpoint, Side side, double perSecond, double seconds) {
    for (double le : BUCKETS) {
      setCounter(buckets, new BucketKey(namespace, parallelrun, endpoint, side.name(), Double.toString(le)),
          seconds <= le ? perSecond : 0);
    }
    setCounter(buckets, new BucketKey(namespace, parallelrun, endpoint, side.name(), "+Inf"), perSecond);
    setCounter(buckets, new BucketKey(namespace, parallelrun, endpoint, side.name(), "sum"), perSecond * seconds);
  }

  private void set(Key key, double perSecond) {
    setCounter(counters, key, perSecond);
  }

  private static <K> void setCounter(Map<K, Counter> counters, K key, double perSecond) {
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
    renderLatencies(out, now, namespace, parallelrun);
    renderFields(out, now, namespace, parallelrun);
    return out.toString();
  }

  private void renderFields(StringBuilder out, long now, String namespace, String parallelrun) {
    String[] typed = {null};
    fields.forEach((key, counter) -> {
      counter.advance(now);
      if (!key.metric().equals(typed[0])) {
        typed[0] = key.metric();
        out.append("# TYPE ").append(key.metric()).append(' ')
            .append(Metric.ofSeries(key.metric()).orElseThrow().type()).append('\n');
      }
      if (namespace != null && !(key.namespace().equals(namespace) && key.parallelrun().equals(parallelrun))) return;
      out.append(key.metric()).append('{').append(MetricLabels.NAMESPACE).append("=\"").append(key.namespace())
          .append("\",").append(MetricLabels.PARALLELRUN).append("=\"").append(key.parallelrun())
          .append("\",").append(MetricLabels.ENDPOINT).append("=\"").append(key.endpoint())
          .append("\",").append(MetricLabels.FIELD).append("=\"").append(key.field())
          .append("\"} ").append(Math.floor(counter.value)).append('\n');
    });
  }

  private void renderLatencies(StringBuilder out, long now, String namespace, String parallelrun) {
    if (buckets.isEmpty()) return;
    String metric = Metric.COMPARED_LATENCY.prometheusName();
    out.append("# HELP ").append(metric).append(" Latency of both sides of compared requests.\n")
        .append("# TYPE ").append(metric).append(" histogram\n");
    buckets.forEach((key, counter) -> {
      counter.advance(now);
      if (namespace != null && !(key.namespace().equals(namespace) && key.parallelrun().equals(parallelrun))) return;
      boolean sum = key.le().equals("sum");
      String labels = MetricLabels.NAMESPACE + "=\"" + key.namespace() + "\"," + MetricLabels.PARALLELRUN + "=\""
          + key.parallelrun() + "\"," + MetricLabels.ENDPOINT + "=\"" + key.endpoint() + "\"," + MetricLabels.SIDE
          + "=\"" + key.side() + "\"";
      if (sum) {
        out.append(metric).append("_sum{").append(labels).append("} ").append(counter.value).append('\n');
      } else {
        out.append(metric).append("_bucket{").append(labels).append(",le=\"").append(key.le()).append("\"} ")
            .append(Math.floor(counter.value)).append('\n');
        if (key.le().equals("+Inf")) {
          out.append(metric).append("_count{").append(labels).append("} ").append(Math.floor(counter.value)).append('\n');
        }
      }
    });
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
