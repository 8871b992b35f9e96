package io.parallelrun.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every duration of the spec has a minimum and a maximum: {@code interval: 0s} used to mean a Prometheus query
 * every 100 ms, and a large number of hours overflowed. The error names the field, as the API server's would.
 */
class DurationBoundsTest {
  private static final String BASE = SpecDefaultsTest.BASE;

  private static ParallelRunSpec spec(String interval, String sharedWindow, String sharedHoldFor, String ownWindow) {
    return Serialization.unmarshal(BASE
        + (interval == null ? "" : "  analysis: {interval: \"" + interval + "\"}\n")
        + "  defaults: {threshold: {" + (sharedWindow == null ? "" : "window: \"" + sharedWindow + "\", ")
        + (sharedHoldFor == null ? "" : "holdFor: \"" + sharedHoldFor + "\"") + "}}\n"
        + "  endpoints:\n"
        + "  - {name: a, method: GET, path: /a}\n"
        + "  - {name: b, method: GET, path: /b" + (ownWindow == null ? "" : ", threshold: {window: \"" + ownWindow + "\"}") + "}\n",
        ParallelRun.class).getSpec();
  }

  private static void resolveAll(ParallelRunSpec spec) {
    SpecDefaults.analysisInterval(spec);
    SpecDefaults.resolve(spec);
  }

  @ParameterizedTest(name = "interval {0}: {1}")
  @CsvSource(delimiter = '|', nullValues = "ok", value = {
      "1s      | ok",
      "30s     | ok",
      "1h      | ok",
      "0s      | spec.analysis.interval: must be between 1s and 1h, was 0s",
      "100ms   | spec.analysis.interval: must be between 1s and 1h, was 100ms",
      "999ms   | spec.analysis.interval: must be between 1s and 1h, was 999ms",
      "1h1ms   | spec.analysis.interval: must be between 1s and 1h, was 1h1ms",
      "9223372036854775807h | spec.analysis.interval: '9223372036854775807h' is not a duration such as 30s, 10m or 1h30m",
      "99999h99999h99999h99999h | spec.analysis.interval: must be between 1s and 1h, was 99999h99999h99999h99999h",
      "10      | spec.analysis.interval: '10' is not a duration such as 30s, 10m or 1h30m",
  })
  void analysisInterval(String value, String error) {
    check(spec(value, null, null, null), error);
  }

  @ParameterizedTest(name = "window {0}, holdFor {1}, endpoint b window {2}: {3}")
  @CsvSource(delimiter = '|', nullValues = {"ok", "-"}, value = {
      "1s    | 0s    | -     | ok",
      "168h  | 168h  | 168h  | ok",
      "0s    | -     | -     | spec.defaults.threshold.window: must be between 1s and 168h, was 0s",
      "169h  | -     | -     | spec.defaults.threshold.window: must be between 1s and 168h, was 169h",
      "-     | 169h  | -     | spec.defaults.threshold.holdFor: must be between 0s and 168h, was 169h",
      "-     | -     | 500ms | spec.endpoints[1].threshold.window: must be between 1s and 168h, was 500ms",
      "-     | 99999999999999999999999h | - | spec.defaults.threshold.holdFor: '99999999999999999999999h' is not a duration such as 30s, 10m or 1h30m",
  })
  void thresholdDurations(String window, String holdFor, String ownWindow, String error) {
    check(spec(null, window, holdFor, ownWindow), error);
  }

  private static void check(ParallelRunSpec spec, String error) {
    if (error == null) {
      resolveAll(spec);
    } else {
      assertThatThrownBy(() -> resolveAll(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(error);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"500ms | 500", "1h30m | 5400000", "99999h | 359996400000"})
  void parsesWithinThePattern(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    assertThat(text).matches(Durations.PATTERN);
  }
}
