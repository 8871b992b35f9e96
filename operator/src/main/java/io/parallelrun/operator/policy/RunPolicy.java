package io.parallelrun.operator.policy;

import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.ParallelRunSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ParallelRun may ask the operator for, set by whoever runs the operator: the proxy image, the hosts of
 * url: backends (service: backends are Services in the run's own namespace, always allowed) and the Prometheus
 * it reads: a raw spec.analysis.prometheus.url only where raw URLs are allowed (then on an allowed host), a named
 * analysis provider always (the platform team configured it). A pure check of the spec; the first violation
 * found is reported.
 */
public final class RunPolicy {
  private final ImageAllowlist images;
  private final HostAllowlist backends;
  private final HostAllowlist prometheus;
  private final Optional<String> ownPrometheusUrl;
  private final boolean allowRawPrometheusUrl;

  /** Raw Prometheus URLs allowed, as before analysis providers existed. */
  public RunPolicy(ImageAllowlist images, HostAllowlist backends, HostAllowlist prometheus,
      Optional<String> ownPrometheusUrl) {
    this(images, backends, prometheus, ownPrometheusUrl, true);
  }

  /**
   * @param ownPrometheusUrl the operator's own --prometheus-url, allowed like its own proxy image
   * @param allowRawPrometheusUrl --allow-raw-prometheus-url: whether spec.analysis.prometheus.url may name any
   *     other URL (then only on the hosts {@code prometheus} allows)
   */
  public RunPolicy(ImageAllowlist images, HostAllowlist backends, HostAllowlist prometheus,
      Optional<String> ownPrometheusUrl, boolean allowRawPrometheusUrl) {
    this.images = images;
    this.backends = backends;
    this.prometheus = prometheus;
    this.ownPrometheusUrl = ownPrometheusUrl;
    this.allowRawPrometheusUrl = allowRawPrometheusUrl;
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
    if (analysis.getProvider() != null) {
      // The CRD refuses both; this guards runs created under an older CRD.
      return Optional.of(new PolicyViolation(PolicyViolation.PROMETHEUS_URL_NOT_ALLOWED, "spec.analysis.prometheus.url",
          "spec.analysis.prometheus.url: not allowed together with spec.analysis.provider; set one of them"));
    }
    if (ownPrometheusUrl.isPresent() && Objects.equals(ownPrometheusUrl.get(), url)) return Optional.empty();
    if (!allowRawPrometheusUrl) {
      return Optional.of(new PolicyViolation(PolicyViolation.PROMETHEUS_URL_NOT_ALLOWED, "spec.analysis.prometheus.url",
          "spec.analysis.prometheus.url: this operator reads match rates only from its analysis providers "
              + "(--allow-raw-prometheus-url=false): name one in spec.analysis.provider instead"));
    }
    return prometheus.check("spec.analysis.prometheus.url", url, PolicyViolation.PROMETHEUS_URL_NOT_ALLOWED);
  }
}
