package io.parallelrun.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ProxySpec;
import io.parallelrun.api.ProxyTuningSpec;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.proxy.http.ProxySettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyOptionsTest {
  @Test
  void defaults() {
    ProxyOptions o = ProxyOptions.parse(new String[0], Map.of());
    assertThat(o.manifest()).isNull();
    assertThat(o.listen()).isEqualTo(new ProxyOptions.HostPort("0.0.0.0", 8080));
    assertThat(o.admin()).isEqualTo(new ProxyOptions.HostPort("0.0.0.0", 9901));
    assertThat(o.settings().maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(o.serviceUrlTemplate()).isEqualTo("http://{service}.{namespace}.svc:{port}");
    assertThat(o.shadowEventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void shadowLanesBeyondTheClientEventLoopsAreNotCreated() {
    // each client loop feeds one lane, so a third lane for two loops would only idle
    assertThat(ProxyServer.shadowLaneCount(ProxyOptions.parse(
        new String[] {"--event-loops", "2", "--shadow-event-loops", "3"}, Map.of()))).isEqualTo(2);
    assertThat(ProxyServer.shadowLaneCount(ProxyOptions.parse(
        new String[] {"--event-loops", "3", "--shadow-event-loops", "1"}, Map.of()))).isEqualTo(1);
  }

  @Test
  void flagsInBothFormsAndEnvFallback() {
    ProxyOptions o = ProxyOptions.parse(new String[] {"--manifest", "run.yaml", "--listen=127.0.0.1:18080",
        "--shadow-timeout", "500ms", "--connect-timeout=3s", "--shadow-event-loops", "1"}, Map.of(
        "PARALLELRUN_ADMIN", "127.0.0.1:19901", "PARALLELRUN_SHADOW_TIMEOUT", "9s",
        "PARALLELRUN_MAX_BODY_BYTES", "2048", "PARALLELRUN_NAME", "shop", "PARALLELRUN_NAMESPACE", "team-a",
        "PARALLELRUN_SERVICE_URL_TEMPLATE", "http://127.0.0.1:{port}"));
    assertThat(o.manifest()).isEqualTo(Path.of("run.yaml"));
    assertThat(o.listen()).isEqualTo(new ProxyOptions.HostPort("127.0.0.1", 18080));
    assertThat(o.admin().port()).isEqualTo(19901);
    assertThat(o.settings().shadowTimeoutMs()).isEqualTo(500);
    assertThat(o.settings().connectTimeoutMs()).isEqualTo(3000);
    assertThat(o.settings().maxBodyBytes()).isEqualTo(2048);
    assertThat(o.name()).isEqualTo("shop");
    assertThat(o.namespace()).isEqualTo("team-a");
    assertThat(o.serviceUrlTemplate()).isEqualTo("http://127.0.0.1:{port}");
    assertThat(o.shadowEventLoops()).isEqualTo(1);
  }

  @Test
  void clientDeadlinesDefaultToTenThirtyAndSixtySecondsAndZeroTurnsThemOff() {
    ProxyOptions d = ProxyOptions.parse(new String[0], Map.of());
    assertThat(d.settings().clientHeaderTimeoutMs()).isEqualTo(10_000);
    assertThat(d.settings().clientBodyTimeoutMs()).isEqualTo(30_000);
    assertThat(d.settings().clientIdleTimeoutMs()).isEqualTo(60_000);
    ProxyOptions o = ProxyOptions.parse(new String[] {"--client-header-timeout", "2s", "--client-body-timeout=0"},
        Map.of("PARALLELRUN_CLIENT_IDLE_TIMEOUT", "90s"));
    assertThat(o.settings().clientHeaderTimeoutMs()).isEqualTo(2_000);
    assertThat(o.settings().clientBodyTimeoutMs()).isZero();
    assertThat(o.settings().clientIdleTimeoutMs()).isEqualTo(90_000);
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--client-header-timeout", "-1s"}, Map.of()))
        .hasMessageContaining("--client-header-timeout");
  }

  @Test
  void badInputNamesTheFlag() {
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--listen", "nope"}, Map.of())).hasMessageContaining("--listen");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--shadow-timeout", "soon"}, Map.of()))
        .hasMessage("--shadow-timeout: 'soon' is not a duration such as 30s, 10m or 1h30m");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--shadow-timeout", "500"}, Map.of()))
        .as("a bare number is refused, as by the operator's flags, rather than guessed")
        .hasMessage("--shadow-timeout: '500' has no unit: write 500ms, 500s or 500m");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--frobnicate", "1"}, Map.of())).hasMessageContaining("--frobnicate");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--manifest"}, Map.of())).hasMessageContaining("--manifest");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--shadow-event-loops", "0"}, Map.of()))
        .hasMessageContaining("--shadow-event-loops").hasMessageContaining(">= 1");
  }

  @Test
  void sampleLimitsHaveDefaultsAndNameTheirFlag() {
    ProxyOptions o = ProxyOptions.parse(new String[0], Map.of());
    assertThat(o.maxSampleBytes()).isEqualTo(64 * 1024);
    assertThat(o.maxMismatchesBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(o.adminAccess()).hasToString("AdminAccess[loopback]");
    assertThat(ProxyOptions.parse(new String[0], Map.of("PARALLELRUN_MAX_SAMPLE_BYTES", "4096")).maxSampleBytes())
        .isEqualTo(4096);
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--max-sample-bytes", "10"}, Map.of()))
        .hasMessageContaining("--max-sample-bytes").hasMessageContaining(">= 1024");
    assertThatThrownBy(() -> ProxyOptions.parse(new String[] {"--max-mismatches-bytes", "lots"}, Map.of()))
        .hasMessageContaining("--max-mismatches-bytes");
  }

  /**
   * The operator passes spec.proxy.tuning as flags (SpecDefaults.proxyFlags); each must be one this proxy knows
   * (an unknown flag stops the pod) and land in the setting it names.
   */
  @Test
  void everyTuningFieldOfTheSpecIsAFlagThatSetsItsSetting() {
    ProxyTuningSpec t = new ProxyTuningSpec();
    t.setMaxBodyBytes(4096);
    t.setMaxInFlightComparisons(77);
    t.setShadowTimeout("750ms");
    t.setConnectTimeout("3s");
    t.setUpstreamTimeout("1h");
    t.setIdleTimeout("2m");
    t.setPoolSize(33);
    t.setHttp2PoolSize(5);
    t.setClientHeaderTimeout("0s");
    t.setClientBodyTimeout("45s");
    t.setClientIdleTimeout("90s");
    ProxySpec proxy = new ProxySpec();
    proxy.setTuning(t);
    ParallelRunSpec spec = new ParallelRunSpec();
    spec.setProxy(proxy);

    ProxySettings s = ProxyOptions.parse(SpecDefaults.proxyFlags(spec).toArray(String[]::new), Map.of()).settings();

    assertThat(s).isEqualTo(new ProxySettings(4096, 77, 750, 3_000, 3_600_000, 33, 5, 120_000, 0, 45_000, 90_000));
  }
}
