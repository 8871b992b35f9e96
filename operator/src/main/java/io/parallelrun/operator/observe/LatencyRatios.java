package io.parallelrun.operator.observe;

import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.api.metrics.Side;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One endpoint's latency quantiles of both sides over its window, each null when a side has no usable quantile (no
 * compared requests in the window, NaN, an infinite quantile, or a legacy quantile of 0): no data, which freezes a
 * latency gate rather than passing or failing it. Both sides' seconds are kept, not only their ratio: a gate needs
 * the difference too, as a ratio of sub-millisecond latencies is mostly the proxy's own timing noise.
 */
public record LatencyRatios(Quantile p50, Quantile p99) {
  public static final LatencyRatios NONE = new LatencyRatios(null, null);

  /** One latency quantile of both sides, in seconds; legacy's is above 0, both are finite. */
  public record Quantile(double candidateSeconds, double legacySeconds) {
    /** candidate / legacy. */
    public double ratio() {
      return candidateSeconds / legacySeconds;
    }

    /** How much slower the candidate is, in seconds (negative when it is faster). */
    public double differenceSeconds() {
      return candidateSeconds - legacySeconds;
    }
  }

  /** The p50 ratio (candidate / legacy), null without data. */
  public Double p50Ratio() {
    return p50 == null ? null : p50.ratio();
  }

  /** The p99 ratio (candidate / legacy), null without data. */
  public Double p99Ratio() {
    return p99 == null ? null : p99.ratio();
  }

  /** The quantiles per endpoint from the answer to a {@link LatencyQuery}; samples it does not describe are ignored. */
  static Map<String, LatencyRatios> fromSamples(List<PrometheusClient.Sample> samples) {
    // endpoint -> quantile -> side -> seconds
    Map<String, Map<String, Map<String, Double>>> seconds = new HashMap<>();
    for (PrometheusClient.Sample sample : samples) {
      String endpoint = sample.labels().get(MetricLabels.ENDPOINT);
      String quantile = sample.labels().get(LatencyQuery.QUANTILE);
      String side = sample.labels().get(MetricLabels.SIDE);
      if (endpoint == null || quantile == null || side == null) continue;
      seconds.computeIfAbsent(endpoint, e -> new HashMap<>()).computeIfAbsent(quantile, q -> new HashMap<>())
          .put(side, sample.value());
    }
    Map<String, LatencyRatios> ratios = new HashMap<>();
    seconds.forEach((endpoint, byQuantile) -> ratios.put(endpoint, new LatencyRatios(
        quantile(byQuantile.get(LatencyQuery.P50)), quantile(byQuantile.get(LatencyQuery.P99)))));
    return ratios;
  }

  private static Quantile quantile(Map<String, Double> bySide) {
    if (bySide == null) return null;
    Double candidate = bySide.get(Side.candidate.name());
    Double legacy = bySide.get(Side.legacy.name());
    if (candidate == null || legacy == null || !Double.isFinite(candidate) || !Double.isFinite(legacy)
        || candidate < 0 || legacy <= 0 || !Double.isFinite(candidate / legacy)) {
      return null;
    }
    return new Quantile(candidate, legacy);
  }
}
