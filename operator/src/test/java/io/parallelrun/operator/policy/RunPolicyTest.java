package io.parallelrun.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelrun.api.AnalysisSpec;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.PrometheusSpec;
import io.parallelrun.api.ProxySpec;
import io.parallelrun.api.ServiceRef;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator's policy, table by table: images, backend hosts, Prometheus hosts, and the flags' own errors. */
class RunPolicyTest {
  static final String OWN_IMAGE = "ghcr.io/parallel-run/parallel-run-proxy:0.1.0";
  static final String OWN_PROMETHEUS = "http://prometheus.monitoring:9090";

  static RunPolicy policy(List<String> images, List<String> backendHosts, List<String> prometheusHosts) {
    return new RunPolicy(new ImageAllowlist(OWN_IMAGE, images, "--allowed-proxy-images"),
        new HostAllowlist(backendHosts, "--allowed-backend-hosts"),
        new HostAllowlist(prometheusHosts, "--allowed-prometheus-hosts"), Optional.of(OWN_PROMETHEUS));
  }

  static ParallelRunSpec spec(String image, String legacyUrl, String candidateUrl, String prometheusUrl) {
    ParallelRunSpec spec = new ParallelRunSpec();
    spec.setLegacy(legacyUrl == null ? new BackendSpec(new ServiceRef("legacy", 8080), null) : new BackendSpec(null, legacyUrl));
    spec.setCandidate(candidateUrl == null ? new BackendSpec(new ServiceRef("candidate", 8080), null) : new BackendSpec(null, candidateUrl));
    if (image != null) {
      ProxySpec proxy = new ProxySpec();
      proxy.setImage(image);
      spec.setProxy(proxy);
    }
    if (prometheusUrl != null) {
      AnalysisSpec analysis = new AnalysisSpec();
      analysis.setPrometheus(new PrometheusSpec(prometheusUrl));
      spec.setAnalysis(analysis);
    }
    return spec;
  }

  /** Expected: "ok", or "Reason field" of the violation. */
  static String verdict(RunPolicy policy, ParallelRunSpec spec) {
    return policy.check(spec).map(v -> v.reason() + " " + v.field()).orElse("ok");
  }

  static Stream<Arguments> images() {
    return Stream.of(
        // allowlist, spec.proxy.image, verdict
        Arguments.of(List.of(), null, "ok"),
        Arguments.of(List.of(), OWN_IMAGE, "ok"),
        Arguments.of(List.of(), "ghcr.io/parallel-run/parallel-run-proxy:0.2.0", "ImageNotAllowed spec.proxy.image"),
        Arguments.of(List.of(), "evil.example/miner", "ImageNotAllowed spec.proxy.image"),
        Arguments.of(List.of("ghcr.io/parallel-run/parallel-run-proxy:*"), "ghcr.io/parallel-run/parallel-run-proxy:0.2.0", "ok"),
        Arguments.of(List.of("ghcr.io/parallel-run/parallel-run-proxy:*"), "ghcr.io/parallel-run/parallel-run-proxy-evil:1", "ImageNotAllowed spec.proxy.image"),
        Arguments.of(List.of("ghcr.io/parallel-run/parallel-run-proxy@*"), "ghcr.io/parallel-run/parallel-run-proxy@sha256:ab12", "ok"),
        Arguments.of(List.of("registry.acme.internal/*"), "registry.acme.internal/team/proxy:1", "ok"),
        Arguments.of(List.of("registry.acme.internal/*"), "registry.acme.internal.evil.example/proxy:1", "ImageNotAllowed spec.proxy.image"),
        Arguments.of(List.of("registry.acme.internal/proxy:1"), "registry.acme.internal/proxy:1", "ok"),
        Arguments.of(List.of("registry.acme.internal/proxy:1"), "registry.acme.internal/proxy:10", "ImageNotAllowed spec.proxy.image"),
        Arguments.of(List.of("*"), "anything.example/at-all:latest", "ok"));
  }

  @ParameterizedTest(name = "{0} allows {1}: {2}")
  @MethodSource
  void images(List<String> allowlist, String image, String expected) {
    assertThat(verdict(policy(allowlist, List.of(), List.of()), spec(image, null, null, null))).isEqualTo(expected);
  }

  static final String REFUSED = "BackendNotAllowed spec.candidate.url";

  static Stream<Arguments> backendHosts() {
    return Stream.of(
        // allowlist, candidate url, verdict
        Arguments.of(List.of(), "https://candidate.example.com:8443/api", "ok"),
        Arguments.of(List.of(), "http://10.0.0.7:8080", "ok"),
        Arguments.of(List.of(), "http://127.0.0.1:18082", "ok"),
        // Always refused: link-local and metadata, in every spelling a resolver or socket accepts.
        Arguments.of(List.of(), "http://169.254.169.254/latest/meta-data/", REFUSED),
        Arguments.of(List.of(), "http://169.254.1.1", REFUSED),
        Arguments.of(List.of(), "http://[fd00:ec2::254]/latest/meta-data/", REFUSED),
        Arguments.of(List.of(), "http://[FD00:EC2:0:0:0:0:0:254]/", REFUSED),
        Arguments.of(List.of(), "http://[fe80::1]/", REFUSED),
        Arguments.of(List.of(), "http://[::ffff:169.254.169.254]/", REFUSED),
        Arguments.of(List.of(), "http://[::ffff:a9fe:a9fe]/", REFUSED),
        Arguments.of(List.of(), "http://[::169.254.169.254]/", REFUSED),
        Arguments.of(List.of(), "http://metadata.google.internal/computeMetadata/v1/", REFUSED),
        Arguments.of(List.of(), "http://METADATA.google.internal./", REFUSED),
        Arguments.of(List.of(), "http://metadata/computeMetadata/v1/", REFUSED),
        Arguments.of(List.of(), "http://100.100.100.200/latest/meta-data/", REFUSED),
        Arguments.of(List.of(), "http://2852039166/", REFUSED),
        Arguments.of(List.of(), "http://0xa9fea9fe/", REFUSED),
        Arguments.of(List.of(), "http://0251.0376.0251.0376/", REFUSED),
        Arguments.of(List.of(), "http://169.254.43518/", REFUSED),
        Arguments.of(List.of(), "http://169.254.169.0254/", REFUSED),
        Arguments.of(List.of(), "http://allowed.example.com@169.254.169.254/", REFUSED),
        Arguments.of(List.of(), "http://under_score.example.com/", REFUSED),
        // An allowlist: only what it names.
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "https://legacy.acme.com", "ok"),
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "https://orders.svc.acme.com", "ok"),
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "https://svc.acme.com", REFUSED),
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "https://evilsvc.acme.com", REFUSED),
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "http://10.20.255.1:8080", "ok"),
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "http://10.21.0.1:8080", REFUSED),
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "http://192.0.2.1", "ok"),
        Arguments.of(List.of("legacy.acme.com", "*.svc.acme.com", "10.20.0.0/16", "192.0.2.1"), "http://legacy.acme.com.evil.example", REFUSED),
        Arguments.of(List.of("legacy.acme.com"), "http://kubernetes.default.svc", REFUSED),
        // Refused addresses need an entry naming them; a wider range or a wildcard is not enough.
        Arguments.of(List.of("0.0.0.0/0"), "http://169.254.169.254/", REFUSED),
        Arguments.of(List.of("0.0.0.0/0"), "http://10.1.2.3/", "ok"),
        Arguments.of(List.of("*.google.internal"), "http://metadata.google.internal/", REFUSED),
        Arguments.of(List.of("169.254.169.254"), "http://169.254.169.254/", "ok"),
        Arguments.of(List.of("169.254.10.0/24"), "http://169.254.10.7/", "ok"),
        Arguments.of(List.of("169.254.10.0/24"), "http://169.254.169.254/", REFUSED),
        Arguments.of(List.of("metadata.google.internal"), "http://metadata.google.internal/", "ok"));
  }

  @ParameterizedTest(name = "{0} for {1}: {2}")
  @MethodSource
  void backendHosts(List<String> allowlist, String url, String expected) {
    assertThat(verdict(policy(List.of(), allowlist, List.of()), spec(null, null, url, null))).isEqualTo(expected);
  }

  static Stream<Arguments> prometheusHosts() {
    return Stream.of(
        // allowlist, spec.analysis.prometheus.url, verdict
        Arguments.of(List.of(), null, "ok"),
        Arguments.of(List.of(), "http://prometheus.team-a:9090", "ok"),
        Arguments.of(List.of(), "http://169.254.169.254/", "PrometheusUrlNotAllowed spec.analysis.prometheus.url"),
        Arguments.of(List.of("prometheus.monitoring"), "http://prometheus.team-a:9090", "PrometheusUrlNotAllowed spec.analysis.prometheus.url"),
        Arguments.of(List.of("prometheus.monitoring"), "http://prometheus.monitoring:9091", "ok"),
        // The operator's own --prometheus-url is allowed whatever the list says.
        Arguments.of(List.of("other.example"), OWN_PROMETHEUS, "ok"));
  }

  @ParameterizedTest(name = "{0} for {1}: {2}")
  @MethodSource
  void prometheusHosts(List<String> allowlist, String url, String expected) {
    assertThat(verdict(policy(List.of(), List.of(), allowlist), spec(null, null, null, url))).isEqualTo(expected);
  }

  static Stream<Arguments> rawUrlsWhereProvidersAreConfigured() {
    return Stream.of(
        // --allow-raw-prometheus-url, spec.analysis.provider, spec.analysis.prometheus.url, verdict
        Arguments.of(false, "mimir", null, "ok"),
        Arguments.of(false, null, null, "ok"),
        Arguments.of(false, null, "http://prometheus.team-a:9090", "PrometheusUrlNotAllowed spec.analysis.prometheus.url"),
        // The operator's own --prometheus-url stays allowed: it is the platform's, as providers are.
        Arguments.of(false, null, OWN_PROMETHEUS, "ok"),
        Arguments.of(true, null, "http://prometheus.team-a:9090", "ok"),
        Arguments.of(true, null, "http://169.254.169.254/", "PrometheusUrlNotAllowed spec.analysis.prometheus.url"),
        // Both at once: the CRD refuses it; a run from an older CRD is refused here.
        Arguments.of(true, "mimir", "http://prometheus.team-a:9090", "PrometheusUrlNotAllowed spec.analysis.prometheus.url"));
  }

  @ParameterizedTest(name = "raw allowed {0}, provider {1}, url {2}: {3}")
  @MethodSource
  void rawUrlsWhereProvidersAreConfigured(boolean allowRaw, String provider, String url, String expected) {
    RunPolicy policy = new RunPolicy(new ImageAllowlist(OWN_IMAGE, List.of(), "--allowed-proxy-images"),
        new HostAllowlist(List.of(), "--allowed-backend-hosts"), new HostAllowlist(List.of(), "--allowed-prometheus-hosts"),
        Optional.of(OWN_PROMETHEUS), allowRaw);
    ParallelRunSpec spec = spec(null, null, null, url);
    if (provider != null) {
      if (spec.getAnalysis() == null) spec.setAnalysis(new AnalysisSpec());
      spec.getAnalysis().setProvider(provider);
    }
    assertThat(verdict(policy, spec)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aRefusedRawUrlSaysToNameAProviderInstead() {
    RunPolicy policy = new RunPolicy(new ImageAllowlist(OWN_IMAGE, List.of(), "--allowed-proxy-images"),
        new HostAllowlist(List.of(), "--allowed-backend-hosts"), new HostAllowlist(List.of(), "--allowed-prometheus-hosts"),
        Optional.empty(), false);
    assertThat(policy.check(spec(null, null, null, "http://prometheus.team-a:9090")))
        .hasValueSatisfying(v -> assertThat(v.message()).contains("spec.analysis.prometheus.url",
            "--allow-raw-prometheus-url=false", "spec.analysis.provider"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void messagesNameTheFieldTheValueAndTheRule(ParallelRunSpec spec, List<String> expectedParts) {
    RunPolicy policy = policy(List.of(), List.of("legacy.acme.com"), List.of());
    assertThat(policy.check(spec)).hasValueSatisfying(v -> assertThat(v.message()).contains(expectedParts));
  }

  static Stream<Arguments> messagesNameTheFieldTheValueAndTheRule() {
    return Stream.of(
        Arguments.of(spec("evil.example/miner", null, null, null), List.of("spec.proxy.image", "evil.example/miner", OWN_IMAGE)),
        Arguments.of(spec(null, "http://169.254.169.254/x", null, null), List.of("spec.legacy.url", "169.254.169.254", "169.254.0.0/16", "--allowed-backend-hosts")),
        Arguments.of(spec(null, "http://other.acme.com", null, null), List.of("spec.legacy.url", "other.acme.com", "--allowed-backend-hosts", "legacy.acme.com")),
        Arguments.of(spec(null, null, null, "http://metadata.google.internal"), List.of("spec.analysis.prometheus.url", "metadata.google.internal", "--allowed-prometheus-hosts")));
  }

  static Stream<Arguments> badEntries() {
    return Stream.of(
        Arguments.of("host", "10.0.0.0/33"),
        Arguments.of("host", "*"),
        Arguments.of("host", "http://legacy.acme.com"),
        Arguments.of("host", "legacy.acme.com:8080"),
        Arguments.of("host", "2852039166"),
        Arguments.of("host", "a.*.acme.com"),
        Arguments.of("image", "registry.acme/*/proxy"),
        Arguments.of("image", "has space"));
  }

  @ParameterizedTest(name = "{0} entry {1}")
  @MethodSource
  void badEntries(String kind, String entry) {
    assertThatThrownBy(() -> {
      if (kind.equals("host")) new HostAllowlist(List.of(entry), "--allowed-backend-hosts");
      else new ImageAllowlist(OWN_IMAGE, List.of(entry), "--allowed-proxy-images");
    }).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(kind.equals("host") ? "--allowed-backend-hosts" : "--allowed-proxy-images")
        .hasMessageContaining("\"" + entry + "\"");
  }
}
