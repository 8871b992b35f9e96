package io.parallelrun.proxy.metrics;

import io.micrometer.core.instrument.Counter;
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
import io.parallelrun.api.metrics.MismatchAxis;
import io.parallelrun.proxy.routing.Side;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's meters. Label values only ever come from the manifest (namespace, name, endpoint names) or
 * from fixed enums, never from a request. Rendered names:
 * parallelrun_comparisons_total, parallelrun_mismatches_total, parallelrun_upstream_latency_seconds,
 * parallelrun_requests_total, parallelrun_shadows_dropped_total.
 */
public final class ProxyMetrics {
  public static final String UNMATCHED = "unmatched";

  private final PrometheusMeterRegistry registry;
  private final Map<String, EndpointMetrics> byEndpoint = new ConcurrentHashMap<>();

  public ProxyMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public ProxyMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
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
        k -> create(Tags.of("namespace", namespace, "parallelrun", parallelRun, "endpoint", endpoint),
            !endpoint.equals(UNMATCHED)));
  }

  /** @param compared false for "unmatched": such requests are answered and timed, never compared. */
  private EndpointMetrics create(Tags tags, boolean compared) {
    MeterRegistry r = registry;
    Map<ComparisonResult, Counter> comparisons = new EnumMap<>(ComparisonResult.class);
    for (ComparisonResult result : compared ? ComparisonResult.values() : new ComparisonResult[0]) {
      comparisons.put(result, Counter.builder("parallelrun.comparisons")
          .description("Comparisons of legacy and candidate answers, by result")
          .tags(tags).tag("result", result.name()).register(r));
    }
    Map<MismatchAxis, Counter> mismatches = new EnumMap<>(MismatchAxis.class);
    for (MismatchAxis axis : compared ? MismatchAxis.values() : new MismatchAxis[0]) {
      mismatches.put(axis, Counter.builder("parallelrun.mismatches")
          .description("Unmatched comparisons, by the part of the response that differed")
          .tags(tags).tag("axis", axis.name()).register(r));
    }
    Map<Side, Timer> latency = new EnumMap<>(Side.class);
    Map<Side, Counter> requests = new EnumMap<>(Side.class);
    for (Side side : Side.values()) {
      latency.put(side, Timer.builder("parallelrun.upstream.latency")
          .description("Time from sending a request upstream to the end of its response, answers and shadows")
          .tags(tags).tag("side", side.name())
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(100_000))
          .maximumExpectedValue(Duration.ofSeconds(30))
          .register(r));
      requests.put(side, Counter.builder("parallelrun.requests")
          .description("Client requests answered, by the side that answered")
          .tags(tags).tag("side", side.name()).register(r));
    }
    Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    for (DropReason reason : compared ? DropReason.values() : new DropReason[0]) {
      dropped.put(reason, Counter.builder("parallelrun.shadows.dropped")
          .description("Shadow calls not made, by the bound that shed them")
          .tags(tags).tag("reason", reason.name()).register(r));
    }
    Counter fallbacks = !compared ? null : Counter.builder("parallelrun.fallbacks")
        .description("Requests the candidate was to answer but legacy answered, because the candidate failed first")
        .tags(tags).register(r);
    return new EndpointMetrics(comparisons, mismatches, latency, requests, dropped, fallbacks);
  }
}
