package io.parallelrun.operator.observe;

import static io.parallelrun.api.metrics.MetricLabels.ENDPOINT;
import static io.parallelrun.api.metrics.MetricLabels.SIDE;

import io.parallelrun.api.Durations;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.metrics.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the one PromQL expression that reads the latency quantiles of both sides for every endpoint of one
 * ParallelRun that has a latency gate or rollback; runs without any get no query at all ({@link Optional#empty}).
 * Each quantile is asked only for the endpoints that need it (p50 for a p50Ratio gate; p99 for a p99Ratio gate or
 * the rollback): the histogram's buckets are most of the query's cost, and each quantile reads them all again.
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
    String scope = ComparisonQuery.scope(namespace, name);
    List<String> parts = new ArrayList<>();
    parts.addAll(quantiles(P50, scope, endpoints.stream().filter(e -> e.latency().p50Ratio() != null).toList()));
    parts.addAll(quantiles(P99, scope, endpoints.stream()
        .filter(e -> e.latency().p99Ratio() != null || e.latency().p99RollbackAbove() != null).toList()));
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", parts));
  }

  /** One quantile of these endpoints, one expression per window. */
  private static List<String> quantiles(String quantile, String scope, List<ResolvedEndpoint> endpoints) {
    Map<Duration, List<String>> byWindow = ComparisonQuery.byWindow(endpoints);
    return byWindow.entrySet().stream()
        .map(e -> quantile(quantile, scope + "," + ComparisonQuery.endpointsIn(e.getValue()), e.getKey()))
        .toList();
  }

  private static String quantile(String quantile, String selector, Duration window) {
    return ComparisonQuery.tagged("histogram_quantile(" + quantile + ", sum by (" + ENDPOINT + ", " + SIDE
        + ", le) (rate(" + METRIC + "{" + selector + "}[" + Durations.toPromQl(window) + "])))", QUANTILE, quantile);
  }
}
