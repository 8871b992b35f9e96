package io.parallelrun.operator.observe;

import static io.parallelrun.api.metrics.MetricLabels.ENDPOINT;
import static io.parallelrun.api.metrics.MetricLabels.NO_ROUTE_ENDPOINT;
import static io.parallelrun.api.metrics.MetricLabels.RESULT;

import io.parallelrun.api.Durations;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.metrics.Metric;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.operator.dependent.ProxyObjects;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the single PromQL expression that reads every endpoint of one ParallelRun.
 *
 * <p>Endpoints may have different windows. To keep to one query per ParallelRun per interval and still give
 * each endpoint exactly its own window, endpoints are grouped by window and the groups are joined with
 * {@code or}: each group selects its own endpoints, so the label sets never overlap and {@code or} only
 * concatenates. The usual case, one shared window, is a single selector on every endpoint but the no-route
 * bucket ({@link MetricLabels#NO_ROUTE_ENDPOINT}, which has no comparisons anyway):
 *
 * <pre>
 * sum by (endpoint, result) (increase(parallelrun_comparisons_total{namespace="shop",pod=~"orders-proxy-[a-z0-9]+-[a-z0-9]+",endpoint!="_no_route"}[600s]))
 * </pre>
 *
 * <p>Series are selected by the labels Prometheus itself attaches to each target, {@code namespace} and
 * {@code pod} (kubernetes_sd relabelling, or the chart's PodMonitor), never by the {@code namespace} and
 * {@code parallelrun} labels the proxy exports: any pod can export any label, so selecting by those let one
 * tenant's pods (or the candidate itself) forge another run's match rate. This needs {@code honor_labels: false}
 * (Prometheus' default) on the scrape job; the exported labels then become {@code exported_namespace}. The pod
 * pattern is that of the pods of the {@code <name>-proxy} Deployment: {@code <name>-proxy-<hash>-<suffix>}.
 *
 * <p>Summing by (endpoint, result) folds the proxy replicas (pods) together.
 */
public final class ComparisonQuery {
  public static final String METRIC = Metric.COMPARISONS.prometheusName();

  private ComparisonQuery() {}

  public static String build(String namespace, String name, List<ResolvedEndpoint> endpoints) {
    Map<Duration, List<String>> byWindow = byWindow(endpoints);
    String scope = scope(namespace, name);
    if (byWindow.size() <= 1) {
      Duration window = byWindow.isEmpty() ? Duration.ofMinutes(10) : byWindow.keySet().iterator().next();
      return group(scope + "," + ENDPOINT + "!=\"" + NO_ROUTE_ENDPOINT + "\"", window);
    }
    return byWindow.entrySet().stream()
        .map(e -> group(scope + "," + endpointsIn(e.getValue()), e.getKey()))
        .collect(Collectors.joining(" or "));
  }

  /** Endpoint names by window, in a stable order, so the same spec always yields the same query text. */
  static Map<Duration, List<String>> byWindow(List<ResolvedEndpoint> endpoints) {
    return endpoints.stream().collect(Collectors.groupingBy(
        ResolvedEndpoint::window, TreeMap::new, Collectors.mapping(ResolvedEndpoint::name, Collectors.toList())));
  }

  /** The run's proxy pods, by the target labels Prometheus attaches (see above), as selector matchers. */
  static String scope(String namespace, String name) {
    return "namespace=\"" + escape(namespace) + "\",pod=~\"" + escape(proxyPodPattern(name)) + "\"";
  }

  /** A matcher for exactly these endpoints. Endpoint names are DNS labels ([a-z0-9-]): no regex escaping needed. */
  static String endpointsIn(List<String> names) {
    return ENDPOINT + "=~\"" + String.join("|", names) + "\"";
  }

  /** The names of the proxy Deployment's pods, as a regex; the run's name is matched literally. */
  static String proxyPodPattern(String name) {
    return literal(ProxyObjects.name(name)) + "-[a-z0-9]+-[a-z0-9]+";
  }

  /**
   * The expression with one more label, {@code label} = {@code value} on every series ({@code label_replace} with an
   * empty source): how a query that joins several readings with {@code or} keeps their label sets apart.
   */
  static String tagged(String expression, String label, String value) {
    return "label_replace(" + expression + ", \"" + label + "\", \"" + value + "\", \"\", \"\")";
  }

  /** Names are DNS names: only the dot is a regex metacharacter in them, but escape anything else to be safe. */
  private static String literal(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (!Character.isLetterOrDigit(c) && c != '-') out.append('\\');
      out.append(c);
    }
    return out.toString();
  }

  private static String group(String selector, Duration window) {
    return "sum by (" + ENDPOINT + ", " + RESULT + ") (increase(" + METRIC + "{" + selector + "}["
        + Durations.toPromQl(window) + "]))";
  }

  /** Namespaces and names are DNS names, but a selector must never be broken by a quote or backslash. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
