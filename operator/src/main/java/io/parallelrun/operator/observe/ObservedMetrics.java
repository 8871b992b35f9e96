package io.parallelrun.operator.observe;

import java.util.Map;
import java.util.Optional;

/** What one Prometheus query told us about a ParallelRun: counts per endpoint, or why there are none. */
public sealed interface ObservedMetrics {

  /**
   * Prometheus answered with at least one series. Endpoints absent from the answer had no comparisons; endpoints
   * absent from {@code latency} have no latency data (none was asked for, or none was there); endpoints absent from
   * {@code fields} had no differing fields (none were asked for: every comparison matched). {@code fieldsFailed}: the
   * {@link DifferencesQuery} was asked and failed, so nothing is known about fields; the counts still stand.
   */
  record Available(Map<String, ComparisonCounts> byEndpoint, Map<String, LatencyRatios> latency,
      Map<String, FieldCounts> fields, boolean fieldsFailed) implements ObservedMetrics {
    public Available {
      byEndpoint = Map.copyOf(byEndpoint);
      latency = Map.copyOf(latency);
      fields = Map.copyOf(fields);
    }

    /** Counts and latency, no differing fields. */
    public Available(Map<String, ComparisonCounts> byEndpoint, Map<String, LatencyRatios> latency) {
      this(byEndpoint, latency, Map.of(), false);
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

    /** The fields this endpoint's answers differed at; empty (unknown) when the differences query failed. */
    public Optional<FieldCounts> fieldsFor(String endpoint) {
      return fieldsFailed ? Optional.empty() : Optional.of(fields.getOrDefault(endpoint, FieldCounts.NONE));
    }

    /** The same counts with these latency ratios. */
    public Available withLatency(Map<String, LatencyRatios> ratios) {
      return new Available(byEndpoint, ratios, fields, fieldsFailed);
    }

    /** The same counts with these differing fields. */
    public Available withFields(Map<String, FieldCounts> byEndpointFields) {
      return new Available(byEndpoint, latency, byEndpointFields, false);
    }

    /** The same counts, the differences query having failed. */
    public Available withFieldsFailed() {
      return new Available(byEndpoint, latency, Map.of(), true);
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
