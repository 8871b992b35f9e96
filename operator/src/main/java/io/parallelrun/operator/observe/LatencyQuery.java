package io.parallelrun.operator.observe;

import static io.parallelrun.api.metrics.MetricLabels.ENDPOINT;
import static io.parallelrun.api.metrics.MetricLabels.SIDE;

import io.parallelrun.api.Durations;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.metrics.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the one PromQL expression that reads the latency quantiles of both sides for every endpoint of one
 * ParallelRun that has a latency gate or rollback; runs without any get no query at all ({@link Optional#empty}).
 *
 * <p>Both quantiles come from one query: each {@code histogram_quantile} is tagged with a {@value #QUANTILE} label by
 * {@code label_replace}, and the two (and each window's group, as in {@link ComparisonQuery}) are joined with
 * {@code or}, whose label sets never overlap. One endpoint, one window:
 *
 * <pre>
 * label_replace(histogram_quantile(0.5, sum by (endpoint, side, le) (rate(parallelrun_compared_latency_seconds_bucket{namespace="shop",pod=~"orders-proxy-[a-z0-9]+-[a-z0-9]+",endpoint=~"a"}[600s]))), "quantile", "0.5", "", "")
 *   or label_replace(histogram_quantile(0.99, ...), "quantile", "0.99", "", "")
 * </pre>
 *
 * <p>The series are scoped like the comparison counts ({@link ComparisonQuery#scope}): by the labels Prometheus
 * attaches to the target, never by the ones the pods export. Summing by le folds the proxy replicas together
 * before the quantile is taken, as a quantile of summed buckets is the quantile over every replica's requests.
 */
public final class LatencyQuery {
  public static final String METRIC = Metric.COMPARED_LATENCY.prometheusName() + "_bucket";
  /** The label the query adds to tell the quantiles apart. */
  public static final String QUANTILE = "quantile";
  public static final String P50 = "0.5";
  public static final String P99 = "0.99";

  private LatencyQuery() {}

  /** The query, or none when no endpoint of the run gates or rolls back on latency. */
  public static Optional<String> build(String namespace, String name, List<ResolvedEndpoint> endpoints) {
    List<ResolvedEndpoint> measured = endpoints.stream().filter(e -> e.latency().measured()).toList();
    if (measured.isEmpty()) return Optional.empty();
    String scope = ComparisonQuery.scope(namespace, name);
    Map<Duration, List<String>> byWindow = ComparisonQuery.byWindow(measured);
    return Optional.of(byWindow.entrySet().stream()
        .flatMap(e -> List.of(P50, P99).stream()
            .map(q -> quantile(q, scope + "," + ComparisonQuery.endpointsIn(e.getValue()), e.getKey())))
        .collect(Collectors.joining(" or ")));
  }

  private static String quantile(String quantile, String selector, Duration window) {
    return "label_replace(histogram_quantile(" + quantile + ", sum by (" + ENDPOINT + ", " + SIDE + ", le) (rate("
        + METRIC + "{" + selector + "}[" + Durations.toPromQl(window) + "]))), \"" + QUANTILE + "\", \"" + quantile
        + "\", \"\", \"\")";
  }
}
