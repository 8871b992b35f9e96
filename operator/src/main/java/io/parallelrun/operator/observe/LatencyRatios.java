package io.parallelrun.operator.observe;

import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.api.metrics.Side;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One endpoint's candidate / legacy latency ratios over its window, each null when a side has no usable quantile
 * (no compared requests in the window, NaN, an infinite quantile, or a legacy quantile of 0): no data, which
 * freezes a latency gate rather than passing or failing it.
 */
public record LatencyRatios(Double p50, Double p99) {
  public static final LatencyRatios NONE = new LatencyRatios(null, null);

  /** The ratios per endpoint from the answer to a {@link LatencyQuery}; samples it does not describe are ignored. */
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
        ratio(byQuantile.get(LatencyQuery.P50)), ratio(byQuantile.get(LatencyQuery.P99)))));
    return ratios;
  }

  private static Double ratio(Map<String, Double> bySide) {
    if (bySide == null) return null;
    Double candidate = bySide.get(Side.candidate.name());
    Double legacy = bySide.get(Side.legacy.name());
    if (candidate == null || legacy == null || !Double.isFinite(candidate) || !Double.isFinite(legacy)
        || candidate < 0 || legacy <= 0) {
      return null;
    }
    double ratio = candidate / legacy;
    return Double.isFinite(ratio) ? ratio : null;
  }
}
