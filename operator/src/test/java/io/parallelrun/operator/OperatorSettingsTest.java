package io.parallelrun.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
  @Test
  void defaults() {
    OperatorSettings s = OperatorSettings.from(new String[0], Map.of());
    assertThat(s.prometheusUrl()).isEmpty();
    assertThat(s.proxyImage()).isEqualTo(OperatorSettings.DEFAULT_PROXY_IMAGE);
    assertThat(s.healthPort()).isEqualTo(8081);
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.watchAllNamespaces()).isTrue();
  }

  @Test
  void flagsWinOverEnvironment() {
    OperatorSettings s = OperatorSettings.from(new String[] {
        "--prometheus-url=http://flag:9090", "--leader-election", "--namespace=a, b", "--health-port=9000"},
        Map.of("PARALLELRUN_PROMETHEUS_URL", "http://env:9090", "PARALLELRUN_PROXY_IMAGE", "img:env",
            "PARALLELRUN_LEADER_ELECTION_NAMESPACE", "ops"));
    assertThat(s.prometheusUrl()).contains("http://flag:9090");
    assertThat(s.proxyImage()).isEqualTo("img:env");
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaderElectionNamespace()).isEqualTo(Optional.of("ops"));
    assertThat(s.namespaces()).isEqualTo(Set.of("a", "b"));
    assertThat(s.healthPort()).isEqualTo(9000);
  }

  @Test
  void unknownFlagsAreRejected() {
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--prometheus=x"}, Map.of()))
        .hasMessageContaining("--prometheus");
  }

  @Test
  void aBadPrometheusUrlOrAnswerCapIsRejectedNamingTheFlag() {
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--prometheus-url=http://prom:9090/x#"}, Map.of()))
        .hasMessageStartingWith("--prometheus-url: ");
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--prometheus-max-answer-bytes=10"}, Map.of()))
        .hasMessageStartingWith("--prometheus-max-answer-bytes: ");
    assertThat(OperatorSettings.from(new String[0], Map.of()).prometheusMaxAnswerBytes()).isEqualTo(16L << 20);
    assertThat(OperatorSettings.from(new String[] {"--prometheus-max-answer-bytes=4096"}, Map.of())
        .prometheusMaxAnswerBytes()).isEqualTo(4096);
  }

  @Test
  void allowlistsComeFromFlagsOrEnvironmentAsCommaSeparatedLists() {
    OperatorSettings s = OperatorSettings.from(new String[] {
        "--allowed-proxy-images=ghcr.io/acme/proxy:*, registry.acme/proxy:1", "--allowed-backend-hosts=*.acme.com,10.0.0.0/8"},
        Map.of("PARALLELRUN_ALLOWED_PROMETHEUS_HOSTS", "prometheus.monitoring"));
    assertThat(s.allowedProxyImages()).containsExactly("ghcr.io/acme/proxy:*", "registry.acme/proxy:1");
    assertThat(s.allowedBackendHosts()).containsExactly("*.acme.com", "10.0.0.0/8");
    assertThat(s.allowedPrometheusHosts()).containsExactly("prometheus.monitoring");

    OperatorSettings none = OperatorSettings.from(new String[0], Map.of());
    assertThat(none.allowedProxyImages()).isEmpty();
    assertThat(none.allowedBackendHosts()).isEmpty();
  }

  @Test
  void aBadAllowlistEntryFailsAtStartNamingTheFlagAndTheEntry() {
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--allowed-backend-hosts=acme.com,10.0.0.0/40"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--allowed-backend-hosts").hasMessageContaining("\"10.0.0.0/40\"");
    assertThatThrownBy(() -> OperatorSettings.from(new String[0], Map.of("PARALLELRUN_ALLOWED_PROXY_IMAGES", "a/*/b")))
        .hasMessageContaining("--allowed-proxy-images").hasMessageContaining("\"a/*/b\"");
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--allowed-prometheus-hosts=http://prom:9090"}, Map.of()))
        .hasMessageContaining("--allowed-prometheus-hosts");
  }
}
