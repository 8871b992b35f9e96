package io.parallelrun.operator.observe;

import java.util.Map;

/** What one Prometheus query told us about a ParallelRun: counts per endpoint, or why there are none. */
public sealed interface ObservedMetrics {

  /** Prometheus answered with at least one series. Endpoints absent from the answer had no comparisons. */
  record Available(Map<String, ComparisonCounts> byEndpoint) implements ObservedMetrics {
    public Available {
      byEndpoint = Map.copyOf(byEndpoint);
    }

    public ComparisonCounts countsFor(String endpoint) {
      return byEndpoint.getOrDefault(endpoint, ComparisonCounts.NONE);
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
