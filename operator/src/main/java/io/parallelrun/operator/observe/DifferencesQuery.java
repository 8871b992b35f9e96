package io.parallelrun.operator.observe;

import static io.parallelrun.api.metrics.MetricLabels.ENDPOINT;
import static io.parallelrun.api.metrics.MetricLabels.FIELD;

import io.parallelrun.api.Durations;
import io.parallelrun.api.NoiseMode;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.metrics.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the one PromQL expression that reads why a ParallelRun's comparisons did not match: per endpoint, the
 * increase over its window of unmatched comparisons by field and of noise probes by field, and the fields its proxies
 * ignore as learned noise. The three are told apart by a {@value #READING} label ({@code label_replace}, as
 * {@link LatencyQuery} tells its quantiles apart) and joined, with each window's group as in {@link ComparisonQuery},
 * by {@code or}, whose label sets never overlap. One endpoint with unmatched comparisons, one window:
 *
 * <pre>
 * label_replace(sum by (endpoint, field) (increase(parallelrun_mismatch_fields_total{namespace="shop",pod=~"orders-proxy-[a-z0-9]+-[a-z0-9]+",endpoint=~"a"}[600s])) &gt; 0, "reading", "mismatched", "", "")
 *   or label_replace(sum by (endpoint, field) (increase(parallelrun_noise_fields_total{...,endpoint=~"a"}[600s])) &gt; 0, "reading", "noise", "", "")
 * </pre>
 *
 * <p>It is asked only after the comparison counts, and only of the endpoints that need it: fields for the mirrored
 * endpoints with unmatched comparisons in their window, the ignored-noise gauge for the mirrored endpoints with
 * {@code comparator.noise: Ignore} (whose comparisons may all match because noise is ignored, and whose status still
 * lists what is ignored). A run whose comparisons all match and that ignores no noise gets no query at all
 * ({@link Optional#empty}): healthy runs pay nothing. The series are scoped like the comparison counts
 * ({@link ComparisonQuery#scope}), by the labels Prometheus attaches to the target; {@code > 0} leaves fields that
 * did not differ in the window out of the answer.
 */
public final class DifferencesQuery {
  public static final String MISMATCH_METRIC = Metric.MISMATCH_FIELDS.prometheusName();
  public static final String NOISE_METRIC = Metric.NOISE_FIELDS.prometheusName();
  public static final String IGNORED_METRIC = Metric.NOISE_IGNORED_FIELDS.prometheusName();
  /** The label the query adds to tell its three readings apart. */
  public static final String READING = "reading";
  public static final String MISMATCHED = "mismatched";
  public static final String NOISE = "noise";
  public static final String IGNORED = "ignored";

  private DifferencesQuery() {}

  /**
   * The query for this run given its comparison counts, or none when no endpoint had unmatched comparisons and none
   * ignores noise.
   */
  public static Optional<String> build(String namespace, String name, List<ResolvedEndpoint> endpoints,
      Map<String, ComparisonCounts> counts) {
    List<ResolvedEndpoint> differing = endpoints.stream().filter(ResolvedEndpoint::mirror)
        .filter(e -> counts.getOrDefault(e.name(), ComparisonCounts.NONE).unmatched() > 0).toList();
    List<String> ignoring = endpoints.stream().filter(ResolvedEndpoint::mirror)
        .filter(e -> e.comparator().noise() == NoiseMode.Ignore).map(ResolvedEndpoint::name).toList();
    String scope = ComparisonQuery.scope(namespace, name);
    List<String> parts = new ArrayList<>();
    ComparisonQuery.byWindow(differing).forEach((window, names) -> {
      String selector = scope + "," + ComparisonQuery.endpointsIn(names);
      parts.add(increase(MISMATCH_METRIC, selector, window, MISMATCHED));
      parts.add(increase(NOISE_METRIC, selector, window, NOISE));
    });
    if (!ignoring.isEmpty()) {
      parts.add(tagged("max by (" + ENDPOINT + ", " + FIELD + ") (" + IGNORED_METRIC + "{" + scope + ","
          + ComparisonQuery.endpointsIn(ignoring) + "}) > 0", IGNORED));
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", parts));
  }

  private static String increase(String metric, String selector, Duration window, String reading) {
    return tagged("sum by (" + ENDPOINT + ", " + FIELD + ") (increase(" + metric + "{" + selector + "}["
        + Durations.toPromQl(window) + "])) > 0", reading);
  }

  private static String tagged(String expression, String reading) {
    return ComparisonQuery.tagged(expression, READING, reading);
  }
}
