package io.parallelrun.operator.observe.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.operator.observe.MetricsObserver;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.observe.PrometheusClient;
import io.parallelrun.operator.support.ComparisonExporter;
import io.parallelrun.operator.support.Manifests;
import io.parallelrun.operator.support.TlsPrometheusProxy;
import io.parallelrun.testing.PrometheusProcess;
import io.parallelrun.testing.RealParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider as platform teams run them: a real Prometheus scraping a run's counters, behind an HTTPS reverse proxy
 * with a private certificate that demands a bearer token. The operator's observer reads match rates through the
 * provider only with the right token and the right CA bundle, and says which of the two is wrong otherwise.
 */
@RealParts
class ProviderOverTlsTest {
  static final String NAMESPACE = "shop";
  static final String RUN = "orders";
  static final String TOKEN = "right-token";

  @TempDir
  static Path dir;
  static ComparisonExporter exporter;
  static PrometheusProcess prometheus;
  static TlsPrometheusProxy proxy;

  @BeforeAll
  static void start() {
    exporter = new ComparisonExporter();
    prometheus = PrometheusProcess.startWith(java.util.List.of(), Duration.ofSeconds(1));
    exporter.scrapedBy(prometheus).rates(NAMESPACE, RUN, "get-order", 50, 1, 0, 0);
    proxy = new TlsPrometheusProxy(dir, prometheus.url(), TOKEN);
  }

  @AfterAll
  static void stop() {
    if (proxy != null) proxy.close();
    if (prometheus != null) prometheus.close();
    if (exporter != null) exporter.close();
  }

  static ParallelRun run(String provider) {
    return Manifests.run(NAMESPACE, RUN, Manifests.with(
        Manifests.withAnalysis(Manifests.spec(null, null, Manifests.endpoint("get-order", HttpMethod.GET, "/orders/{id}")), null, "1s"),
        spec -> spec.getAnalysis().setProvider(provider)));
  }

  /** A fresh observer each time: the observer's cache would hold the first answer for an interval. */
  static ObservedMetrics observe(AnalysisProviders providers, String provider) {
    return new MetricsObserver(new PrometheusClient(Duration.ofSeconds(2)), Optional.empty(), providers,
        MetricsObserver.Instruments.NONE).observe(run(provider), Instant.now()).metrics();
  }

  static AnalysisProviders providers(String tokenFile, Path caFile) throws IOException {
    Path file = Files.createTempFile(dir, "providers", ".yaml");
    Files.writeString(file, """
        - name: mimir
          url: %s
          bearerTokenFile: %s
          %s
          headers: {X-Scope-OrgID: payments}
          timeout: 3s
        """.formatted(proxy.url(), tokenFile, caFile == null ? "" : "caFile: " + caFile));
    return AnalysisProviders.load(file, Duration.ofSeconds(5), PrometheusClient.DEFAULT_MAX_ANSWER_BYTES);
  }

  static Path token(String name, String value) throws IOException {
    return Files.writeString(dir.resolve(name), value + "\n");
  }

  @Test
  void theRightTokenAndCaBundleReadMatchRatesAndTheTenantHeaderArrives() throws IOException {
    AnalysisProviders providers = providers(token("token-right", TOKEN).toString(), proxy.caPem());
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(observe(providers, "mimir")).isInstanceOfSatisfying(ObservedMetrics.Available.class,
            available -> assertThat(available.countsFor("get-order").matched()).isPositive()));
    assertThat(proxy.orgIds()).isNotEmpty().allMatch("payments"::equals);
  }

  @Test
  void aWrongTokenIsAClearReasonWithoutTheServersWordsAndARotatedTokenIsUsedAtOnce() throws IOException {
    Path tokenFile = token("token-rotating", "wrong-token");
    AnalysisProviders providers = providers(tokenFile.toString(), proxy.caPem());
    assertThat(observe(providers, "mimir")).isEqualTo(new ObservedMetrics.Unavailable("QueryFailed",
        "analysis provider mimir: Prometheus answered HTTP 401"));

    Files.writeString(tokenFile, TOKEN + "\n"); // the Secret was rotated; no restart
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(observe(providers, "mimir")).isInstanceOf(ObservedMetrics.Available.class));
  }

  @Test
  void aServerCertificateOutsideTheProvidersCaBundleIsATlsReason() throws IOException {
    String tokenFile = token("token-tls", TOKEN).toString();
    for (Path ca : new Path[] {TlsPrometheusProxy.unrelatedCaPem(dir), null /* the JVM's default trust store */}) {
      assertThat(observe(providers(tokenFile, ca), "mimir")).as("CA bundle %s", ca)
          .isEqualTo(new ObservedMetrics.Unavailable("TlsFailed", "analysis provider mimir: " + AnalysisProvider.TLS_FAILED));
    }
  }

  @Test
  void anUnknownProviderNameIsNamedWithTheField() throws IOException {
    AnalysisProviders providers = providers(token("token-unknown", TOKEN).toString(), proxy.caPem());
    assertThat(observe(providers, "thanos")).isEqualTo(new ObservedMetrics.Unavailable("UnknownProvider",
        "spec.analysis.provider: the operator has no analysis provider named thanos; it has mimir"));
    assertThat(observe(AnalysisProviders.NONE, "thanos")).isEqualTo(new ObservedMetrics.Unavailable("UnknownProvider",
        "spec.analysis.provider: the operator has no analysis provider named thanos (it is configured with none)"));
  }
}
