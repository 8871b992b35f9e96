package io.parallelrun.proxy.routing;

import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.proxy.compare.ComparatorRules;
import io.parallelrun.proxy.metrics.EndpointMetrics;

/** One endpoint as the data plane sees it: how to match it, how to route it, how to compare it. */
public record Route(
    ResolvedEndpoint endpoint,
    PathTemplate template,
    String method,
    int weight,
    ComparatorRules rules,
    EndpointMetrics metrics) {

  public String name() {
    return endpoint.name();
  }

  public boolean matches(String requestMethod, String path) {
    return method.equals(requestMethod) && template.matches(path);
  }
}
