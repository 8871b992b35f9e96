package io.parallelrun.proxy.manifest;

import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.NoiseMode;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.api.metrics.MetricLabels;
import io.parallelrun.proxy.compare.ComparatorRules;
import io.parallelrun.proxy.metrics.EndpointMetrics;
import io.parallelrun.proxy.metrics.ProxyMetrics;
import io.parallelrun.proxy.mismatch.Redactor;
import io.parallelrun.proxy.routing.Backend;
import io.parallelrun.proxy.routing.PathTemplate;
import io.parallelrun.proxy.routing.Route;
import io.parallelrun.proxy.routing.RoutingTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates a ParallelRun and builds the routing table the data plane runs on. */
public final class RoutingTableFactory {
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile(EndpointSpec.PATH_PATTERN);

  private final BackendResolver backends;
  private final ProxyMetrics metrics;

  public RoutingTableFactory(BackendResolver backends, ProxyMetrics metrics) {
    this.backends = backends;
    this.metrics = metrics;
  }

  public RoutingTable build(ParallelRun run) {
    if (run == null) throw new ManifestException("manifest: is empty");
    if (run.getMetadata() == null || run.getMetadata().getName() == null || run.getMetadata().getName().isBlank()) {
      throw new ManifestException("metadata.name: is required");
    }
    String name = run.getMetadata().getName();
    String namespace = run.getMetadata().getNamespace() == null || run.getMetadata().getNamespace().isBlank()
        ? "default" : run.getMetadata().getNamespace();
    ParallelRunSpec spec = run.getSpec();
    if (spec == null) throw new ManifestException("spec: is required");

    Backend legacy = backends.resolve("spec.legacy", "legacy", spec.getLegacy(), namespace);
    Backend candidate = backends.resolve("spec.candidate", "candidate", spec.getCandidate(), namespace);
    validateEndpoints(spec);

    List<ResolvedEndpoint> resolved;
    try {
      resolved = SpecDefaults.resolve(spec);
    } catch (RuntimeException e) {
      throw new ManifestException("spec: " + e.getMessage(), e);
    }
    Map<String, Integer> weights = weights(run);
    Map<String, List<String>> ignoredNoise = ignoredNoise(run);

    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < resolved.size(); i++) {
      ResolvedEndpoint e = resolved.get(i);
      String field = "spec.endpoints[" + i + "]";
      if (e.mirrorPercent() < 0 || e.mirrorPercent() > 100) {
        throw new ManifestException(field + ".mirrorPercent: must be 0 to 100, not " + e.mirrorPercent());
      }
      ComparatorRules rules;
      try {
        rules = ComparatorRules.compile(e.comparator());
      } catch (RuntimeException ex) {
        throw new ManifestException(field + ".comparator: " + ex.getMessage(), ex);
      }
      EndpointMetrics endpointMetrics = metrics.endpoint(namespace, name, e.name());
      if (e.comparator().noise() == NoiseMode.Ignore) {
        endpointMetrics.noise().learned().adopt(ignoredNoise.getOrDefault(e.name(), List.of()));
      }
      routes.add(new Route(e, PathTemplate.compile(e.path()), e.method().name(),
          weights.getOrDefault(e.name(), 0), rules, endpointMetrics));
    }
    routes.sort(Comparator.comparingInt((Route r) -> r.template().specificity()).reversed());

    Redactor redactor;
    try {
      redactor = Redactor.of(SpecDefaults.mismatchSamples(spec), SpecDefaults.redactPaths(spec), spec.getDataProtection());
    } catch (RuntimeException ex) {
      throw new ManifestException("spec.dataProtection: " + ex.getMessage(), ex);
    }
    return new RoutingTable(namespace, name, legacy, candidate, routes,
        metrics.endpoint(namespace, name, MetricLabels.NO_ROUTE_ENDPOINT), redactor);
  }

  private static void validateEndpoints(ParallelRunSpec spec) {
    List<EndpointSpec> endpoints = spec.getEndpoints();
    if (endpoints == null || endpoints.isEmpty()) {
      throw new ManifestException("spec.endpoints: at least one endpoint is required");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointSpec e = endpoints.get(i);
      String field = "spec.endpoints[" + i + "]";
      if (e == null) throw new ManifestException(field + ": is empty");
      if (e.getName() == null || !NAME.matcher(e.getName()).matches() || e.getName().length() > 63) {
        throw new ManifestException(field + ".name: '" + e.getName() + "' must be a lowercase DNS label");
      }
      if (!names.add(e.getName())) {
        throw new ManifestException(field + ".name: '" + e.getName() + "' is used twice");
      }
      if (e.getMethod() == null) {
        throw new ManifestException(field + ".method: is required (GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)");
      }
      if (e.getPath() == null || !PATH.matcher(e.getPath()).matches()) {
        throw new ManifestException(field + ".path: '" + e.getPath()
            + "' is not a path template such as /orders/{id} or /static/**");
      }
      if (e.getMirrorPercent() != null && (e.getMirrorPercent() < 0 || e.getMirrorPercent() > 100)) {
        throw new ManifestException(field + ".mirrorPercent: must be 0 to 100, not " + e.getMirrorPercent());
      }
    }
  }

  /** The noise the run's proxies learned to ignore, by endpoint (status.endpoints[].ignoredNoise). */
  private static Map<String, List<String>> ignoredNoise(ParallelRun run) {
    Map<String, List<String>> byEndpoint = new HashMap<>();
    if (run.getStatus() == null || run.getStatus().getEndpoints() == null) return byEndpoint;
    for (EndpointStatus s : run.getStatus().getEndpoints()) {
      if (s != null && s.getName() != null && s.getIgnoredNoise() != null) byEndpoint.put(s.getName(), s.getIgnoredNoise());
    }
    return byEndpoint;
  }

  private static Map<String, Integer> weights(ParallelRun run) {
    Map<String, Integer> weights = new HashMap<>();
    if (run.getStatus() == null || run.getStatus().getEndpoints() == null) return weights;
    List<EndpointStatus> statuses = run.getStatus().getEndpoints();
    for (int i = 0; i < statuses.size(); i++) {
      EndpointStatus s = statuses.get(i);
      if (s == null || s.getName() == null || s.getWeight() == null) continue;
      if (s.getWeight() < 0 || s.getWeight() > 100) {
        throw new ManifestException("status.endpoints[" + i + "].weight: must be 0 to 100, not " + s.getWeight());
      }
      weights.put(s.getName(), s.getWeight());
    }
    return weights;
  }
}
