package io.parallelrun.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.DropReason;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.api.metrics.MismatchAxis;
import io.parallelrun.proxy.noise.EndpointNoise;
import io.parallelrun.proxy.noise.LearnedNoise;
import io.parallelrun.proxy.noise.ProbeBudget;
import io.parallelrun.proxy.routing.Side;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's meters, as the contract in api/ ({@link Metric}, {@link MetricLabels}) names them. Label values only
 * ever come from the manifest (namespace, name, endpoint names) or from fixed enums, never from a request; the one
 * exception, the field names of parallelrun_mismatch_fields_total and parallelrun_noise_*, come from the answers'
 * structure (never their values) and are bounded per endpoint ({@link MismatchFieldCounts}, LearnedNoise).
 */
public final class ProxyMetrics {
  private final PrometheusMeterRegistry registry;
  private final Map<String, EndpointMetrics> byEndpoint = new ConcurrentHashMap<>();
  private final int mismatchFieldsPerEndpoint;

  public ProxyMetrics() {
    this(MismatchFieldCounts.DEFAULT_PER_ENDPOINT);
  }

  /** @param mismatchFieldsPerEndpoint field series per endpoint besides other; 0 counts no fields */
  public ProxyMetrics(int mismatchFieldsPerEndpoint) {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), mismatchFieldsPerEndpoint);
  }

  public ProxyMetrics(PrometheusMeterRegistry registry, int mismatchFieldsPerEndpoint) {
    this.registry = registry;
    this.mismatchFieldsPerEndpoint = mismatchFieldsPerEndpoint;
    // The process's own health next to the data-plane meters (jvm_*, process_*, system_*).
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  /** Meters of one endpoint, created once and reused by every routing table that names it. */
  public EndpointMetrics endpoint(String namespace, String parallelRun, String endpoint) {
    return byEndpoint.computeIfAbsent(namespace + '\u0000' + parallelRun + '\u0000' + endpoint,
        k -> create(Tags.of(MetricLabels.NAMESPACE, namespace, MetricLabels.PARALLELRUN, parallelRun,
            MetricLabels.ENDPOINT, endpoint), !endpoint.equals(MetricLabels.NO_ROUTE_ENDPOINT)));
  }

  /**
   * The fields at which an endpoint's comparisons differ, named by the response (header names, normalised JSON
   * paths) rather than the manifest, hence bounded per endpoint; none for the no-route bucket, never compared.
   */
  private MismatchFieldCounts fieldCounts(Metric metric, String description, Tags tags, boolean compared) {
    if (!compared || mismatchFieldsPerEndpoint == 0) return MismatchFieldCounts.off();
    return new MismatchFieldCounts(mismatchFieldsPerEndpoint, field -> Counter.builder(metric.meterName())
        .description(description).tags(tags).tag(MetricLabels.FIELD, field).register(registry));
  }

  /**
   * What noise probes teach about an endpoint and their meters; none for the no-route bucket. The fields are named
   * and bounded as the mismatch fields are; an ignored field gets a gauge of 1, at most LearnedNoise's bound of them.
   */
  private EndpointNoise noise(Tags tags, boolean compared) {
    if (!compared) return null;
    Counter probes = Counter.builder(Metric.NOISE_PROBES.meterName())
        .description("Noise probes sent: the same request asked of legacy once more after an unmatched comparison")
        .tags(tags).register(registry);
    LearnedNoise learned = new LearnedNoise((field, ignoredNow) -> Gauge.builder(
            Metric.NOISE_IGNORED_FIELDS.meterName(), () -> ignoredNow.getAsBoolean() ? 1 : 0)
        .description("1 for each field left out of the endpoint's comparisons as learned noise")
        .tags(tags).tag(MetricLabels.FIELD, field).register(registry));
    return new EndpointNoise(new ProbeBudget(System::nanoTime), learned,
        fieldCounts(Metric.NOISE_FIELDS,
            "Noise probes in which legacy's two answers differed, by the field (its name, never its value)", tags, true),
        probes::increment);
  }

  /** @param compared false for the no-route bucket: such requests are answered and timed, never compared. */
  private EndpointMetrics create(Tags tags, boolean compared) {
    MeterRegistry r = registry;
    Map<ComparisonResult, Counter> comparisons = new EnumMap<>(ComparisonResult.class);
    for (ComparisonResult result : compared ? ComparisonResult.values() : new ComparisonResult[0]) {
      comparisons.put(result, Counter.builder(Metric.COMPARISONS.meterName())
          .description("Comparisons of legacy and candidate answers, by result")
          .tags(tags).tag(MetricLabels.RESULT, result.name()).register(r));
    }
    Map<MismatchAxis, Counter> mismatches = new EnumMap<>(MismatchAxis.class);
    for (MismatchAxis axis : compared ? MismatchAxis.values() : new MismatchAxis[0]) {
      mismatches.put(axis, Counter.builder(Metric.MISMATCHES.meterName())
          .description("Unmatched comparisons, by the part of the response that differed")
          .tags(tags).tag(MetricLabels.AXIS, axis.name()).register(r));
    }
    Map<Side, Timer> latency = new EnumMap<>(Side.class);
    Map<Side, Counter> requests = new EnumMap<>(Side.class);
    for (Side side : Side.values()) {
      latency.put(side, latencyTimer(Metric.UPSTREAM_LATENCY,
          "Time from sending a request upstream to the end of its response, answers and shadows", tags, side));
      requests.put(side, Counter.builder(Metric.REQUESTS.meterName())
          .description("Client requests answered, by the side that answered")
          .tags(tags).tag(MetricLabels.SIDE, side.name()).register(r));
    }
    Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    for (DropReason reason : compared ? DropReason.values() : new DropReason[0]) {
      dropped.put(reason, Counter.builder(Metric.SHADOWS_DROPPED.meterName())
          .description("Shadow calls not made, by the bound that shed them")
          .tags(tags).tag(MetricLabels.REASON, reason.name()).register(r));
    }
    Counter fallbacks = !compared ? null : Counter.builder(Metric.FALLBACKS.meterName())
        .description("Requests the candidate was to answer but legacy answered, because the candidate failed first")
        .tags(tags).register(r);
    return new EndpointMetrics(comparisons, mismatches, latency, requests, dropped, fallbacks,
        comparedLatency(tags, compared),
        fieldCounts(Metric.MISMATCH_FIELDS, "Unmatched comparisons, by the field that differed (its name, never its value)",
            tags, compared),
        noise(tags, compared));
  }

  /**
   * Both sides' latency on the requests that were compared, for the operator's paired latency gate: empty for the
   * no-route bucket, whose requests are never compared.
   */
  private Map<Side, Timer> comparedLatency(Tags tags, boolean compared) {
    Map<Side, Timer> latency = new EnumMap<>(Side.class);
    for (Side side : compared ? Side.values() : new Side[0]) {
      latency.put(side, latencyTimer(Metric.COMPARED_LATENCY,
          "Time from sending a compared request upstream (connection in hand) to the last byte of its response",
          tags, side));
    }
    return latency;
  }

  /** A histogram of one side's latency, with buckets Prometheus can take quantiles of, 100µs to 30s. */
  private Timer latencyTimer(Metric metric, String description, Tags tags, Side side) {
    return Timer.builder(metric.meterName())
        .description(description)
        .tags(tags).tag(MetricLabels.SIDE, side.name())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }
}
