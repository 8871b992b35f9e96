package io.parallelrun.operator.observe;

import java.util.Map;

/** What one Prometheus query told us about a ParallelRun: counts per endpoint, or why there are none. */
public sealed interface ObservedMetrics {

  /**
   * Prometheus answered with at least one series. Endpoints absent from the answer had no comparisons; endpoints
   * absent from {@code latency} have no latency data (none was asked for, or none was there).
   */
  record Available(Map<String, ComparisonCounts> byEndpoint, Map<String, LatencyRatios> latency)
      implements ObservedMetrics {
    public Available {
      byEndpoint = Map.copyOf(byEndpoint);
      latency = Map.copyOf(latency);
    }

    /** Counts without latency data. */
    public Available(Map<String, ComparisonCounts> byEndpoint) {
      this(byEndpoint, Map.of());
    }

    public ComparisonCounts countsFor(String endpoint) {
      return byEndpoint.getOrDefault(endpoint, ComparisonCounts.NONE);
    }

    public LatencyRatios latencyFor(String endpoint) {
      return latency.getOrDefault(endpoint, LatencyRatios.NONE);
    }

    /** The same counts with these latency ratios. */
    public Available withLatency(Map<String, LatencyRatios> ratios) {
      return new Available(byEndpoint, ratios);
    }
  }

  /**
   * No usable data: nothing may be promoted or rolled back on it.
   *
   * @param reason a CamelCase condition reason (NoPrometheusUrl, InvalidPrometheusUrl, UnknownProvider, QueryFailed,
   *     TlsFailed, ProviderMisconfigured, Timeout, NoData, BadData)
   */
  record Unavailable(String reason, String message) implements ObservedMetrics {}

  static Available available(Map<String, ComparisonCounts> byEndpoint) {
    return new Available(byEndpoint);
  }

  static Unavailable unavailable(String reason, String message) {
    return new Unavailable(reason, message);
  }
}
