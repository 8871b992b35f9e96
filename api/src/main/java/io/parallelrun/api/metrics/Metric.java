package io.parallelrun.api.metrics;

import static io.parallelrun.api.metrics.MetricLabels.AXIS;
import static io.parallelrun.api.metrics.MetricLabels.ENDPOINT;
import static io.parallelrun.api.metrics.MetricLabels.FIELD;
import static io.parallelrun.api.metrics.MetricLabels.NAMESPACE;
import static io.parallelrun.api.metrics.MetricLabels.OUTCOME;
import static io.parallelrun.api.metrics.MetricLabels.PARALLELRUN;
import static io.parallelrun.api.metrics.MetricLabels.REASON;
import static io.parallelrun.api.metrics.MetricLabels.RESULT;
import static io.parallelrun.api.metrics.MetricLabels.SIDE;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every parallelrun_* metric the proxy and the operator export: the contract between the proxy that counts, the
 * operator that reads the counts from Prometheus, and the chart's alerts and dashboard. Each has the name
 * Micrometer registers it under and the family name Prometheus renders (and PromQL uses), its type and its
 * label names. docs/metrics.md describes them; MetricsDocTest and MetricsDocOnApiServerTest check the doc, this
 * contract and what a running proxy and operator render against one another.
 */
public enum Metric {
  COMPARISONS(Exporter.PROXY, "parallelrun.comparisons", "parallelrun_comparisons_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT, RESULT),
  MISMATCHES(Exporter.PROXY, "parallelrun.mismatches", "parallelrun_mismatches_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT, AXIS),
  UPSTREAM_LATENCY(Exporter.PROXY, "parallelrun.upstream.latency", "parallelrun_upstream_latency_seconds",
      Type.histogram, NAMESPACE, PARALLELRUN, ENDPOINT, SIDE),
  COMPARED_LATENCY(Exporter.PROXY, "parallelrun.compared.latency", "parallelrun_compared_latency_seconds",
      Type.histogram, NAMESPACE, PARALLELRUN, ENDPOINT, SIDE),
  MISMATCH_FIELDS(Exporter.PROXY, "parallelrun.mismatch.fields", "parallelrun_mismatch_fields_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT, FIELD),
  NOISE_FIELDS(Exporter.PROXY, "parallelrun.noise.fields", "parallelrun_noise_fields_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT, FIELD),
  NOISE_PROBES(Exporter.PROXY, "parallelrun.noise.probes", "parallelrun_noise_probes_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT),
  NOISE_IGNORED_FIELDS(Exporter.PROXY, "parallelrun.noise.ignored.fields", "parallelrun_noise_ignored_fields",
      Type.gauge, NAMESPACE, PARALLELRUN, ENDPOINT, FIELD),
  REQUESTS(Exporter.PROXY, "parallelrun.requests", "parallelrun_requests_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT, SIDE),
  SHADOWS_DROPPED(Exporter.PROXY, "parallelrun.shadows.dropped", "parallelrun_shadows_dropped_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT, REASON),
  FALLBACKS(Exporter.PROXY, "parallelrun.fallbacks", "parallelrun_fallbacks_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT),

  ENDPOINT_WEIGHT(Exporter.OPERATOR, "parallelrun.endpoint.weight", "parallelrun_endpoint_weight", Type.gauge,
      NAMESPACE, PARALLELRUN, ENDPOINT),
  ENDPOINT_THRESHOLD_MATCH_RATE(Exporter.OPERATOR, "parallelrun.endpoint.threshold.match.rate",
      "parallelrun_endpoint_threshold_match_rate", Type.gauge, NAMESPACE, PARALLELRUN, ENDPOINT),
  ENDPOINT_THRESHOLD_LATENCY_P99_RATIO(Exporter.OPERATOR, "parallelrun.endpoint.threshold.latency.p99.ratio",
      "parallelrun_endpoint_threshold_latency_p99_ratio", Type.gauge, NAMESPACE, PARALLELRUN, ENDPOINT),
  METRICS_AVAILABLE(Exporter.OPERATOR, "parallelrun.metrics.available", "parallelrun_metrics_available", Type.gauge,
      NAMESPACE, PARALLELRUN),
  ROLLBACKS(Exporter.OPERATOR, "parallelrun.rollbacks", "parallelrun_rollbacks_total", Type.counter,
      NAMESPACE, PARALLELRUN, ENDPOINT),
  LATENCY_ROLLBACKS(Exporter.OPERATOR, "parallelrun.latency.rollbacks", "parallelrun_latency_rollbacks_total",
      Type.counter, NAMESPACE, PARALLELRUN, ENDPOINT),
  PROMETHEUS_QUERIES(Exporter.OPERATOR, "parallelrun.prometheus.queries", "parallelrun_prometheus_queries_seconds",
      Type.summary, OUTCOME),
  ANALYSIS_DELAY(Exporter.OPERATOR, "parallelrun.analysis.delay", "parallelrun_analysis_delay_seconds", Type.summary);

  /** Which process serves the metric. */
  public enum Exporter { PROXY, OPERATOR }

  /** The Prometheus type, as its text format's {@code # TYPE} line and docs/metrics.md spell it. */
  public enum Type {
    counter, gauge, histogram, summary;

    /** Suffixes of the series a family of this type renders besides its own name (Micrometer adds _max to timers). */
    List<String> seriesSuffixes() {
      return switch (this) {
        case counter, gauge -> List.of();
        case histogram -> List.of("_bucket", "_count", "_sum", "_max");
        case summary -> List.of("_count", "_sum", "_max");
      };
    }
  }

  private final Exporter exporter;
  private final String meterName;
  private final String prometheusName;
  private final Type type;
  private final List<String> labels;

  Metric(Exporter exporter, String meterName, String prometheusName, Type type, String... labels) {
    this.exporter = exporter;
    this.meterName = meterName;
    this.prometheusName = prometheusName;
    this.type = type;
    this.labels = List.of(labels);
  }

  public Exporter exporter() {
    return exporter;
  }

  /** The name to register with Micrometer, which renders it as {@link #prometheusName()}. */
  public String meterName() {
    return meterName;
  }

  /** The family name PromQL uses; a counter's ends in _total. */
  public String prometheusName() {
    return prometheusName;
  }

  public Type type() {
    return type;
  }

  /** Label names, le and quantile (which histograms and summaries add) aside. */
  public List<String> labels() {
    return labels;
  }

  /** Every series name the family renders: its own, and for histograms and summaries _bucket, _count, _sum, _max. */
  public Set<String> seriesNames() {
    return Stream.concat(Stream.of(prometheusName), type.seriesSuffixes().stream().map(s -> prometheusName + s))
        .collect(Collectors.toUnmodifiableSet());
  }

  public static List<Metric> of(Exporter exporter) {
    return Arrays.stream(values()).filter(m -> m.exporter == exporter).toList();
  }

  /** The metric a series name in PromQL belongs to, such as parallelrun_upstream_latency_seconds_bucket. */
  public static Optional<Metric> ofSeries(String seriesName) {
    return Arrays.stream(values()).filter(m -> m.seriesNames().contains(seriesName)).findFirst();
  }
}
