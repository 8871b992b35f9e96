package io.parallelrun.operator.act;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.operator.decide.Transition;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes what status says as Prometheus series, for the chart's dashboard and alerts: the weight and match-rate
 * threshold of every endpoint, whether metrics were available, and rollbacks. Names and label names are the
 * contract's ({@link Metric}, {@link MetricLabels}); label values come from the manifest only.
 *
 * <pre>
 * parallelrun_endpoint_weight{namespace,parallelrun,endpoint}                 percent answered by the candidate
 * parallelrun_endpoint_threshold_match_rate{namespace,parallelrun,endpoint}   the endpoint's matchRate threshold
 * parallelrun_endpoint_threshold_latency_p99_ratio{...}                       its threshold.latency.p99Ratio, if set
 * parallelrun_metrics_available{namespace,parallelrun}                        1, or 0 while MetricsAvailable=False
 * parallelrun_rollbacks_total{namespace,parallelrun,endpoint}                 rollbacks decided by this process
 * parallelrun_latency_rollbacks_total{namespace,parallelrun,endpoint}         those of them because of latency
 * </pre>
 */
public final class StatusMetrics {
  private final MeterRegistry registry;
  private final Map<List<String>, AtomicReference<Double>> values = new ConcurrentHashMap<>();
  private final Map<List<String>, Gauge> gauges = new ConcurrentHashMap<>();

  public StatusMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void publish(ParallelRun run, ParallelRunStatus status, List<Transition> transitions) {
    String namespace = run.getMetadata().getNamespace();
    String name = run.getMetadata().getName();
    Set<List<String>> current = new HashSet<>();
    for (ResolvedEndpoint endpoint : SpecDefaults.resolve(run.getSpec())) {
      Integer weight = status.getEndpoints().stream().filter(e -> e.getName().equals(endpoint.name()))
          .map(EndpointStatus::getWeight).filter(w -> w != null).findFirst().orElse(0);
      current.add(set(Metric.ENDPOINT_WEIGHT, "Percent of the endpoint's requests the candidate answers",
          namespace, name, endpoint.name(), weight));
      current.add(set(Metric.ENDPOINT_THRESHOLD_MATCH_RATE, "The endpoint's match-rate threshold, in percent",
          namespace, name, endpoint.name(), endpoint.matchRate()));
      if (endpoint.latency().p99Ratio() != null) {
        current.add(set(Metric.ENDPOINT_THRESHOLD_LATENCY_P99_RATIO,
            "The endpoint's p99 latency gate: candidate / legacy at most this", namespace, name, endpoint.name(),
            endpoint.latency().p99Ratio()));
      }
    }
    boolean available = status.getConditions().stream().noneMatch(c ->
        c.getType().equals(ParallelRunStatus.METRICS_AVAILABLE) && c.getStatus().equals("False"));
    current.add(set(Metric.METRICS_AVAILABLE, "1 while the operator can read match rates, else 0",
        namespace, name, null, available ? 1 : 0));
    forgetEndpointsNoLongerIn(namespace, name, current);

    for (Transition t : transitions) {
      if (t.reason().equals(Transition.ROLLED_BACK)) {
        Counter.builder(Metric.ROLLBACKS.meterName()).description("Endpoints sent back to legacy")
            .tags(tags(namespace, name, t.endpoint())).register(registry).increment();
      }
      if (t.byLatency()) {
        Counter.builder(Metric.LATENCY_ROLLBACKS.meterName())
            .description("Endpoints sent back to legacy because the candidate's p99 latency rose above rollback.latency")
            .tags(tags(namespace, name, t.endpoint())).register(registry).increment();
      }
    }
  }

  private List<String> set(Metric metric, String description, String namespace, String name, String endpoint,
      double value) {
    String meter = metric.meterName();
    List<String> key = endpoint == null ? List.of(meter, namespace, name) : List.of(meter, namespace, name, endpoint);
    values.computeIfAbsent(key, k -> {
      AtomicReference<Double> holder = new AtomicReference<>(value);
      gauges.put(k, Gauge.builder(meter, holder, AtomicReference::get).description(description)
          .tags(tags(namespace, name, endpoint)).strongReference(true).register(registry));
      return holder;
    }).set(value);
    return key;
  }

  private void forgetEndpointsNoLongerIn(String namespace, String name, Set<List<String>> current) {
    values.keySet().removeIf(key -> {
      boolean stale = key.get(1).equals(namespace) && key.get(2).equals(name) && !current.contains(key);
      if (stale) registry.remove(gauges.remove(key));
      return stale;
    });
  }

  private static Tags tags(String namespace, String name, String endpoint) {
    Tags tags = Tags.of(MetricLabels.NAMESPACE, namespace, MetricLabels.PARALLELRUN, name);
    return endpoint == null ? tags : tags.and(MetricLabels.ENDPOINT, endpoint);
  }
}
