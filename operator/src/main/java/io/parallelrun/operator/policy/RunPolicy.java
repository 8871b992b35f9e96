package io.parallelrun.operator.policy;

import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.ParallelRunSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ParallelRun may ask the operator for, set by whoever runs the operator: the proxy image, the hosts of
 * url: backends (service: backends are Services in the run's own namespace, always allowed) and the Prometheus
 * it reads. A pure check of the spec; the first violation found is reported.
 */
public final class RunPolicy {
  private final ImageAllowlist images;
  private final HostAllowlist backends;
  private final HostAllowlist prometheus;
  private final Optional<String> ownPrometheusUrl;

  /** @param ownPrometheusUrl the operator's own --prometheus-url, allowed like its own proxy image */
  public RunPolicy(ImageAllowlist images, HostAllowlist backends, HostAllowlist prometheus,
      Optional<String> ownPrometheusUrl) {
    this.images = images;
    this.backends = backends;
    this.prometheus = prometheus;
    this.ownPrometheusUrl = ownPrometheusUrl;
  }

  public Optional<PolicyViolation> check(ParallelRunSpec spec) {
    Optional<PolicyViolation> violation = images.check(spec.getProxy() == null ? null : spec.getProxy().getImage());
    if (violation.isEmpty()) violation = backend("spec.legacy.url", spec.getLegacy());
    if (violation.isEmpty()) violation = backend("spec.candidate.url", spec.getCandidate());
    if (violation.isEmpty()) violation = prometheus(spec);
    return violation;
  }

  private Optional<PolicyViolation> backend(String field, BackendSpec backend) {
    if (backend == null || backend.getUrl() == null) return Optional.empty();
    return backends.check(field, backend.getUrl(), PolicyViolation.BACKEND_NOT_ALLOWED);
  }

  private Optional<PolicyViolation> prometheus(ParallelRunSpec spec) {
    var analysis = spec.getAnalysis();
    if (analysis == null || analysis.getPrometheus() == null || analysis.getPrometheus().getUrl() == null) {
      return Optional.empty();
    }
    String url = analysis.getPrometheus().getUrl();
    if (ownPrometheusUrl.isPresent() && Objects.equals(ownPrometheusUrl.get(), url)) return Optional.empty();
    return prometheus.check("spec.analysis.prometheus.url", url, PolicyViolation.PROMETHEUS_URL_NOT_ALLOWED);
  }
}
