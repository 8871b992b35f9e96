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

  @Test
  void everyFlagTheParserKnowsIsInTheUsageTextAndTheOperationsDocAndNoOther() throws Exception {
    java.util.Set<String> inUsage = flags(OperatorSettings.USAGE);
    inUsage.removeAll(Set.of("help", "version"));
    for (String flag : inUsage) {
      // Each documented flag parses (an unknown one is refused, naming it).
      OperatorSettings.from(new String[] {"--" + flag + "=" + sampleValue(flag)}, Map.of());
    }
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--no-such-flag=1"}, Map.of()))
        .hasMessageContaining("--no-such-flag").hasMessageContaining("known: ")
        .satisfies(e -> {
          String known = e.getMessage().substring(e.getMessage().indexOf("known: ") + "known: ".length());
          assertThat(new java.util.TreeSet<>(java.util.List.of(known.replaceAll("[\\[\\] ]", "").split(","))))
              .as("the flags the parser knows").isEqualTo(inUsage);
        });
    String doc = io.parallelrun.testing.RepoFiles.read(io.parallelrun.testing.RepoFiles.root().resolve("docs/operations.md"));
    assertThat(doc).as("docs/operations.md carries --help's text").contains(OperatorSettings.USAGE.strip());
  }

  @Test
  void durationsAndNumbersAreParsedAsDocumentedAndBadOnesNameTheFlag() {
    assertThat(OperatorSettings.from(new String[] {"--prometheus-timeout=5s"}, Map.of()).prometheusTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(OperatorSettings.from(new String[] {"--prometheus-timeout=1m30s"}, Map.of()).prometheusTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(90));
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--prometheus-timeout=7"}, Map.of()))
        .as("a bare number is refused, as by the proxy's flags, rather than guessed")
        .hasMessage("--prometheus-timeout: '7' has no unit: write 7ms, 7s or 7m");
    assertThat(OperatorSettings.from(new String[0], Map.of()).prometheusTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--prometheus-timeout=5 s"}, Map.of()))
        .hasMessage("--prometheus-timeout: '5 s' is not a duration such as 30s, 10m or 1h30m");
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--health-port=http"}, Map.of()))
        .hasMessage("--health-port: 'http' is not a whole number");
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--health-port=70000"}, Map.of()))
        .hasMessage("--health-port: 70000 is not a port (0-65535)");
    assertThatThrownBy(() -> OperatorSettings.from(new String[0], Map.of("PARALLELRUN_PROMETHEUS_MAX_ANSWER_BYTES", "16MiB")))
        .hasMessage("--prometheus-max-answer-bytes: '16MiB' is not a whole number");
  }

  private static java.util.Set<String> flags(String text) {
    java.util.Set<String> flags = new java.util.TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("--([a-z][a-z-]*[a-z])").matcher(text);
    while (m.find()) flags.add(m.group(1));
    return flags;
  }

  private static String emptyProvidersFile() {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("providers", ".yaml");
      file.toFile().deleteOnExit();
      java.nio.file.Files.writeString(file, "[]");
      return file.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void rawPrometheusUrlsAreAllowedUnlessProvidersAreConfiguredOrTheFlagSaysOtherwise(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path providers = dir.resolve("providers.yaml");
    java.nio.file.Files.writeString(providers, "- {name: mimir, url: 'http://mimir.monitoring:8080/prometheus'}\n");
    assertThat(OperatorSettings.from(new String[0], Map.of()).allowRawPrometheusUrl()).as("as before providers").isTrue();
    OperatorSettings withProviders = OperatorSettings.from(new String[] {"--analysis-providers=" + providers}, Map.of());
    assertThat(withProviders.analysisProviders().names()).containsExactly("mimir");
    assertThat(withProviders.allowRawPrometheusUrl()).as("providers configured: raw URLs refused by default").isFalse();
    assertThat(OperatorSettings.from(new String[] {"--analysis-providers=" + providers, "--allow-raw-prometheus-url=true"},
        Map.of()).allowRawPrometheusUrl()).isTrue();
    assertThat(OperatorSettings.from(new String[0], Map.of("PARALLELRUN_ALLOW_RAW_PROMETHEUS_URL", "false"))
        .allowRawPrometheusUrl()).isFalse();
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--allow-raw-prometheus-url=no"}, Map.of()))
        .hasMessage("--allow-raw-prometheus-url: 'no' is neither true nor false");
    assertThatThrownBy(() -> OperatorSettings.from(new String[] {"--analysis-providers=" + dir.resolve("missing.yaml")}, Map.of()))
        .hasMessageStartingWith("--analysis-providers: cannot read ");
  }

  private static String sampleValue(String flag) {
    return switch (flag) {
      case "prometheus-url" -> "http://prometheus:9090";
      case "health-port" -> "8081";
      case "leader-election" -> "true";
      case "prometheus-timeout" -> "5s";
      case "prometheus-max-answer-bytes" -> "4096";
      case "allowed-backend-hosts", "allowed-prometheus-hosts" -> "example.com";
      case "allow-raw-prometheus-url" -> "false";
      case "analysis-providers" -> emptyProvidersFile();
      default -> "x";
    };
  }
}
