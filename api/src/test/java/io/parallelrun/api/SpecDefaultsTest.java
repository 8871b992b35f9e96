package io.parallelrun.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecDefaultsTest {

  private static ParallelRun parse(String yaml) {
    return Serialization.unmarshal(yaml, ParallelRun.class);
  }

  /** A minimal valid ParallelRun; tests append what they need. */
  static final String BASE = """
      apiVersion: parallelrun.io/v1alpha1
      kind: ParallelRun
      metadata: {name: r}
      spec:
        legacy: {url: "http://127.0.0.1:1"}
        candidate: {url: "http://127.0.0.1:2"}
      """;

  @Test
  void builtInDefaultsApplyWhenNothingIsSet() {
    ParallelRun run = parse(BASE + """
          endpoints:
          - {name: get-order, method: GET, path: "/orders/{id}"}
          - {name: create-order, method: POST, path: /orders}
        """);
    List<ResolvedEndpoint> endpoints = SpecDefaults.resolve(run.getSpec());

    ResolvedEndpoint get = endpoints.get(0);
    assertThat(get.matchRate()).isEqualTo(99.0);
    assertThat(get.minSamples()).isEqualTo(100);
    assertThat(get.window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(get.holdFor()).isEqualTo(Duration.ofMinutes(5));
    assertThat(get.rollbackBelow()).as("rollback defaults to the endpoint's own match rate").isEqualTo(99.0);
    assertThat(get.steps()).containsExactly(100);
    assertThat(get.mirror()).as("GET is mirrored by default").isTrue();
    assertThat(get.mirrorPercent()).isEqualTo(100);
    assertThat(get.promotion()).isEqualTo(Promotion.Automatic);
    assertThat(get.comparator().compare()).containsExactlyInAnyOrder(CompareAxis.values());
    assertThat(endpoints.get(1).mirror()).as("a POST is never mirrored unless asked for").isFalse();
  }

  @Test
  void endpointOverridesBeatDefaultsFieldByField() {
    ParallelRun run = parse(BASE + """
          defaults:
            threshold: {matchRate: 95, minSamples: 10, window: 1m, holdFor: 30s}
            comparator: {ignoreHeaders: [X-A], numericTolerance: 0.5}
            steps: [10, 50, 100]
          rollback: {matchRateBelow: 80}
          endpoints:
          - name: a
            method: GET
            path: /a
            threshold: {holdFor: 1h30m}
            comparator: {ignoreJsonPaths: ["$.ts"]}
            steps: [100]
            mirror: false
            mirrorPercent: 5
            promotion: Manual
          - {name: b, method: PUT, path: /b, mirror: true}
        """);
    ResolvedEndpoint a = SpecDefaults.resolve(run.getSpec()).get(0);
    assertThat(a.matchRate()).isEqualTo(95.0);
    assertThat(a.minSamples()).isEqualTo(10);
    assertThat(a.window()).isEqualTo(Duration.ofMinutes(1));
    assertThat(a.holdFor()).isEqualTo(Duration.ofMinutes(90));
    assertThat(a.rollbackBelow()).isEqualTo(80.0);
    assertThat(a.steps()).containsExactly(100);
    assertThat(a.mirror()).isFalse();
    assertThat(a.mirrorPercent()).isEqualTo(5);
    assertThat(a.promotion()).isEqualTo(Promotion.Manual);
    assertThat(a.comparator().ignoreHeaders()).containsExactly("X-A");
    assertThat(a.comparator().ignoreJsonPaths()).containsExactly("$.ts");
    assertThat(a.comparator().numericTolerance()).isEqualTo(0.5);

    ResolvedEndpoint b = SpecDefaults.resolve(run.getSpec()).get(1);
    assertThat(b.steps()).containsExactly(10, 50, 100);
    assertThat(b.mirror()).as("explicit mirror on a PUT").isTrue();
  }

  @Test
  void pathsAreRedactedUnlessFullModeOrTurnedOff() {
    record Case(String dataProtection, MismatchSamples mode, boolean redactPaths) {}
    for (Case c : List.of(
        new Case("", MismatchSamples.Redacted, true),
        new Case("dataProtection: {mismatchSamples: Redacted}", MismatchSamples.Redacted, true),
        new Case("dataProtection: {mismatchSamples: None}", MismatchSamples.None, true),
        new Case("dataProtection: {mismatchSamples: Full}", MismatchSamples.Full, false),
        new Case("dataProtection: {redactPaths: false}", MismatchSamples.Redacted, false),
        new Case("dataProtection: {mismatchSamples: Full, redactPaths: true}", MismatchSamples.Full, true))) {
      ParallelRunSpec spec = parse(BASE + "  " + c.dataProtection() + "\n"
          + "  endpoints: [{name: a, method: GET, path: /a}]\n").getSpec();
      assertThat(SpecDefaults.mismatchSamples(spec)).as(c.dataProtection()).isEqualTo(c.mode());
      assertThat(SpecDefaults.redactPaths(spec)).as(c.dataProtection()).isEqualTo(c.redactPaths());
    }
  }

  @Test
  void theAnalysisSourceIsAProviderOrARawUrlNeverBoth() {
    record Case(String analysis, String provider, String url) {}
    for (Case c : List.of(
        new Case("", null, null),
        new Case("  analysis: {interval: 10s}\n", null, null),
        new Case("  analysis: {provider: thanos}\n", "thanos", null),
        new Case("  analysis: {prometheus: {url: 'http://p:9090'}}\n", null, "http://p:9090"))) {
      ParallelRunSpec spec = parse(BASE + c.analysis() + "  endpoints: [{name: a, method: GET, path: /a}]\n").getSpec();
      assertThat(SpecDefaults.analysisProvider(spec)).as(c.analysis()).isEqualTo(java.util.Optional.ofNullable(c.provider()));
      assertThat(SpecDefaults.prometheusUrl(spec)).as(c.analysis()).isEqualTo(java.util.Optional.ofNullable(c.url()));
    }
    ParallelRunSpec both = parse(BASE + "  analysis: {provider: thanos, prometheus: {url: 'http://p:9090'}}\n"
        + "  endpoints: [{name: a, method: GET, path: /a}]\n").getSpec();
    assertThatThrownBy(() -> SpecDefaults.analysisProvider(both))
        .hasMessage("spec.analysis.provider and spec.analysis.prometheus are mutually exclusive");
  }

  @Test
  void durationsParseLikeGo() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("'10' is not a duration");
    assertThatThrownBy(() -> Durations.parse("1d")).hasMessageContaining("'1d'");
    assertThat(Durations.toPromQl(Duration.ofMinutes(10))).isEqualTo("600s");
  }

  @Test
  void proxyResourcesDefaultUnlessTheSpecGivesThemWhichThenReplaceThemAsAWhole() {
    ParallelRun plain = parse(BASE + """
          endpoints: [{name: a, method: GET, path: /a}]
        """);
    var defaults = SpecDefaults.proxyResources(plain.getSpec());
    assertThat(defaults.getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(defaults.getLimits().get("memory")).as("memory request = limit")
        .isEqualTo(defaults.getRequests().get("memory"));
    defaults.getLimits().clear();
    assertThat(SpecDefaults.proxyResources(plain.getSpec()).getLimits()).as("a fresh object each call").isNotEmpty();

    ParallelRun own = parse(BASE + """
          endpoints: [{name: a, method: GET, path: /a}]
          proxy: {resources: {limits: {memory: 2Gi}}}
        """);
    var given = SpecDefaults.proxyResources(own.getSpec());
    assertThat(given.getLimits()).containsOnlyKeys("memory");
    assertThat(given.getRequests()).isNullOrEmpty();
  }

  @Test
  void proxyTuningBecomesFlagsInAFixedOrderAndOnlyForFieldsThatAreSet() {
    assertThat(SpecDefaults.proxyFlags(parse(BASE + """
          endpoints: [{name: a, method: GET, path: /a}]
        """).getSpec())).isEmpty();
    assertThat(SpecDefaults.proxyFlags(parse(BASE + """
          endpoints: [{name: a, method: GET, path: /a}]
          proxy: {tuning: {clientIdleTimeout: 0s, poolSize: 64, maxBodyBytes: 2048}}
        """).getSpec())).containsExactly("--max-body-bytes=2048", "--pool-size=64", "--client-idle-timeout=0s");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{maxBodyBytes: 1023}           | spec.proxy.tuning.maxBodyBytes: must be between 1024 and 16777216, was 1023",
      "{maxInFlightComparisons: 0}    | spec.proxy.tuning.maxInFlightComparisons: must be between 1 and 100000, was 0",
      "{http2PoolSize: 65537}         | spec.proxy.tuning.http2PoolSize: must be between 1 and 65536, was 65537",
      "{shadowTimeout: 5ms}           | spec.proxy.tuning.shadowTimeout: must be between 10ms and 5m, was 5ms",
      "{connectTimeout: 2m}           | spec.proxy.tuning.connectTimeout: must be between 10ms and 1m, was 2m",
      "{idleTimeout: 0s}              | spec.proxy.tuning.idleTimeout: must be between 1s and 1h, was 0s",
      "{clientHeaderTimeout: 10}      | spec.proxy.tuning.clientHeaderTimeout: '10' is not a duration such as 30s, 10m or 1h30m",
  })
  void proxyTuningOutOfItsBoundsIsAnErrorNamingTheField(String tuning, String error) {
    ParallelRunSpec spec = parse(BASE + "  endpoints: [{name: a, method: GET, path: /a}]\n"
        + "  proxy: {tuning: " + tuning + "}\n").getSpec();
    assertThatThrownBy(() -> SpecDefaults.proxyFlags(spec)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(error);
  }

  @ParameterizedTest(name = "defaults {0}, endpoint {1}")
  @CsvSource(delimiter = '|', value = {
      "{}                           | {noiseIgnoreAfter: 0}       | spec.endpoints[0].comparator.noiseIgnoreAfter: must be between 1 and 1000, was 0",
      "{}                           | {noiseProbesPerMinute: 601} | spec.endpoints[0].comparator.noiseProbesPerMinute: must be between 1 and 600, was 601",
      "{noiseProbesPerMinute: -1}   | {}                          | spec.defaults.comparator.noiseProbesPerMinute: must be between 1 and 600, was -1",
  })
  void noiseSettingsOutOfTheirBoundsAreAnErrorNamingTheFieldWhereNoApiServerChecked(String shared, String own,
      String error) {
    ParallelRunSpec spec = parse(BASE + "  defaults: {comparator: " + shared + "}\n"
        + "  endpoints: [{name: a, method: GET, path: /a, comparator: " + own + "}]\n").getSpec();
    assertThatThrownBy(() -> SpecDefaults.resolve(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(error);
  }

  @Test
  void confidenceIsUnsetUnlessGivenAndAnEndpointsOwnBeatsTheShared() {
    ParallelRun run = parse(BASE + """
          defaults:
            threshold: {confidence: 95}
          endpoints:
          - {name: a, method: GET, path: /a, threshold: {confidence: 99.9}}
          - {name: b, method: GET, path: /b, threshold: {matchRate: 98}}
        """);
    List<ResolvedEndpoint> endpoints = SpecDefaults.resolve(run.getSpec());
    assertThat(endpoints.get(0).confidence()).isEqualTo(99.9);
    assertThat(endpoints.get(1).confidence()).as("falls through to the defaults").isEqualTo(95.0);

    ParallelRun none = parse(BASE + """
          endpoints:
          - {name: a, method: GET, path: /a}
        """);
    assertThat(SpecDefaults.resolve(none.getSpec()).get(0).confidence()).as("no interval unless asked for").isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'defaults: {threshold: {confidence: 100}}' | spec.defaults.threshold.confidence: must be between 50 and 99.9 (percent), was 100.0",
      "'defaults: {threshold: {confidence: 49.9}}' | spec.defaults.threshold.confidence: must be between 50 and 99.9 (percent), was 49.9",
      "'defaults: {threshold: {confidence: 95}}' | spec.endpoints[0].threshold.confidence: must be between 50 and 99.9 (percent), was 0.0",
  })
  void aConfidenceOutOfBoundsIsRefusedNamingTheField(String defaults, String error) {
    ParallelRun run = parse(BASE + "  " + defaults + "\n" + """
          endpoints:
          - {name: a, method: GET, path: /a%s}
        """.formatted(error.startsWith("spec.endpoints") ? ", threshold: {confidence: 0}" : ""));
    assertThatThrownBy(() -> SpecDefaults.resolve(run.getSpec()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(error);
  }

  @Test
  void latencyRatiosFallThroughOneByOneAndTheRollbackIsTheRunsOwn() {
    ParallelRun run = parse(BASE + """
          defaults:
            threshold: {latency: {p50Ratio: 1.5, p99Ratio: 2}}
          rollback: {latency: {p99RatioAbove: 3}}
          endpoints:
          - {name: a, method: GET, path: /a, threshold: {latency: {p99Ratio: 1.2}}}
          - {name: b, method: GET, path: /b}
        """);
    List<ResolvedEndpoint> endpoints = SpecDefaults.resolve(run.getSpec());
    assertThat(endpoints.get(0).latency()).isEqualTo(new ResolvedLatency(1.5, 1.2, 3.0, Duration.ofMillis(10)));
    assertThat(endpoints.get(1).latency()).isEqualTo(new ResolvedLatency(1.5, 2.0, 3.0, Duration.ofMillis(10)));

    ParallelRun none = parse(BASE + """
          rollback: {matchRateBelow: 98}
          endpoints:
          - {name: a, method: GET, path: /a}
        """);
    ResolvedLatency latency = SpecDefaults.resolve(none.getSpec()).get(0).latency();
    assertThat(latency).isEqualTo(ResolvedLatency.NONE);
    assertThat(latency.measured()).as("no latency settings: nothing to measure").isFalse();
  }

  @Test
  void theLatencyFloorFallsThroughLikeTheRatiosAndHoldsTheRollbackToo() {
    ParallelRun run = parse(BASE + """
          defaults:
            threshold: {latency: {p99Ratio: 1.2, minDifference: 25ms}}
          rollback: {latency: {p99RatioAbove: 2}}
          endpoints:
          - {name: a, method: GET, path: /a, threshold: {latency: {minDifference: 0s}}}
          - {name: b, method: GET, path: /b}
        """);
    List<ResolvedEndpoint> endpoints = SpecDefaults.resolve(run.getSpec());
    assertThat(endpoints.get(0).latency()).isEqualTo(new ResolvedLatency(null, 1.2, 2.0, Duration.ZERO));
    assertThat(endpoints.get(1).latency()).isEqualTo(new ResolvedLatency(null, 1.2, 2.0, Duration.ofMillis(25)));

    ParallelRun rollbackOnly = parse(BASE + """
          rollback: {latency: {p99RatioAbove: 2}}
          endpoints:
          - {name: a, method: GET, path: /a}
        """);
    assertThat(SpecDefaults.resolve(rollbackOnly.getSpec()).get(0).latency().minDifference())
        .as("the documented default").isEqualTo(Duration.ofMillis(10)).isEqualTo(SpecDefaults.LATENCY_MIN_DIFFERENCE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "'defaults: {threshold: {latency: {p50Ratio: 0.9}}}' | - | spec.defaults.threshold.latency.p50Ratio: must be between 1.0 and 100 (candidate / legacy), was 0.9",
      "'rollback: {latency: {p99RatioAbove: 101}}' | - | spec.rollback.latency.p99RatioAbove: must be between 1.0 and 100 (candidate / legacy), was 101.0",
      "'defaults: {}' | 'p99Ratio: 0.5' | spec.endpoints[0].threshold.latency.p99Ratio: must be between 1.0 and 100 (candidate / legacy), was 0.5",
      "'defaults: {threshold: {latency: {minDifference: 10s1ms}}}' | - | spec.defaults.threshold.latency.minDifference: must be between 0s and 10s, was 10s1ms",
      "'defaults: {threshold: {latency: {minDifference: 10}}}' | - | spec.defaults.threshold.latency.minDifference: '10' is not a duration such as 30s, 10m or 1h30m",
      "'defaults: {}' | 'minDifference: 1m' | spec.endpoints[0].threshold.latency.minDifference: must be between 0s and 10s, was 1m",
  })
  void aLatencySettingOutOfBoundsIsRefusedNamingTheField(String settings, String ownLatency, String error) {
    ParallelRun run = parse(BASE + "  " + settings + "\n" + """
          endpoints:
          - {name: a, method: GET, path: /a%s}
        """.formatted(ownLatency == null ? "" : ", threshold: {latency: {" + ownLatency + "}}"));
    assertThatThrownBy(() -> SpecDefaults.resolve(run.getSpec()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(error);
  }
}
