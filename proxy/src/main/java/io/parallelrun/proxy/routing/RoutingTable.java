package io.parallelrun.proxy.routing;

import io.parallelrun.proxy.metrics.EndpointMetrics;
import io.parallelrun.proxy.mismatch.Redactor;
import java.util.List;

/**
 * Immutable snapshot of everything a request needs: backends, routes (most specific first), redaction.
 * Rebuilt on every manifest or status change and swapped atomically, so a request sees one consistent table.
 */
public record RoutingTable(
    String namespace,
    String name,
    Backend legacy,
    Backend candidate,
    List<Route> routes,
    EndpointMetrics unmatched,
    Redactor redactor) {

  public RoutingTable {
    routes = List.copyOf(routes);
  }

  public Backend backend(Side side) {
    return side == Side.legacy ? legacy : candidate;
  }

  /** @return the matching route, or null when the request matches no endpoint. */
  public Route match(String method, String path) {
    for (int i = 0, n = routes.size(); i < n; i++) {
      Route r = routes.get(i);
      if (r.matches(method, path)) return r;
    }
    return null;
  }

  public Route route(String endpointName) {
    for (Route r : routes) {
      if (r.name().equals(endpointName)) return r;
    }
    return null;
  }
}
