package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.LatencyThresholdSpec;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observer asks the latency quantiles with exactly one more query per interval, and only for runs with latency
 * settings; a failing latency query leaves the match rates standing and only the latency data missing. A stand-in
 * Prometheus on 127.0.0.1 (it records every query), the real client and observer.
 */
class LatencyObservationTest {
  final AtomicBoolean latencyFails = new AtomicBoolean();
  RecordingPrometheus prometheus;
  List<String> queries;

  @BeforeEach
  void start() {
    prometheus = new RecordingPrometheus(this::answer);
    queries = prometheus.queries;
  }

  @AfterEach
  void stop() {
    prometheus.close();
  }

  RecordingPrometheus.Reply answer(String query) {
    boolean latency = query.contains("histogram_quantile");
    if (latency && latencyFails.get()) return RecordingPrometheus.Reply.ERROR;
    return RecordingPrometheus.Reply.ok(latency
        ? PrometheusClientTest.vector(quantile("0.5", "legacy", "0.1"), quantile("0.5", "candidate", "0.11"),
            quantile("0.99", "legacy", "0.2"), quantile("0.99", "candidate", "0.5"))
        : PrometheusClientTest.vector(PrometheusClientTest.element("a", "matched", "100")));
  }

  static String quantile(String quantile, String side, String seconds) {
    return "{\"metric\":{\"endpoint\":\"a\",\"side\":\"" + side + "\",\"quantile\":\"" + quantile
        + "\"},\"value\":[1700000000.1,\"" + seconds + "\"]}";
  }

  ParallelRun run(boolean gated) {
    EndpointSpec a = Manifests.endpoint("a", HttpMethod.GET, "/a");
    if (gated) {
      ThresholdSpec threshold = new ThresholdSpec();
      threshold.setLatency(new LatencyThresholdSpec(1.1, 1.2));
      a.setThreshold(threshold);
    }
    return Manifests.run("shop", "orders", Manifests.withAnalysis(Manifests.spec(null, null, a),
        prometheus.url(), "30s"));
  }

  final MetricsObserver observer = new MetricsObserver(new PrometheusClient(Duration.ofSeconds(5)), Optional.empty(),
      MetricsObserver.Instruments.NONE);

  @Test
  void aRunWithoutLatencySettingsCostsOneQueryPerInterval() {
    Instant now = Instant.now();
    ObservedMetrics metrics = observer.observe(run(false), now).metrics();
    observer.observe(run(false), now.plusSeconds(10));
    assertThat(queries).hasSize(1).allSatisfy(q -> assertThat(q).doesNotContain("latency"));
    assertThat(((ObservedMetrics.Available) metrics).latencyFor("a")).isEqualTo(LatencyRatios.NONE);
  }

  @Test
  void aGatedRunCostsExactlyOneMoreQueryPerIntervalAndGetsItsRatios() {
    Instant now = Instant.now();
    ObservedMetrics metrics = observer.observe(run(true), now).metrics();
    observer.observe(run(true), now.plusSeconds(10));
    assertThat(queries).hasSize(2);
    assertThat(queries.get(1)).contains("parallelrun_compared_latency_seconds_bucket").contains("0.5").contains("0.99");
    LatencyRatios ratios = ((ObservedMetrics.Available) metrics).latencyFor("a");
    assertThat(ratios.p50Ratio()).isCloseTo(1.1, Offset.offset(1e-9));
    assertThat(ratios.p99Ratio()).isCloseTo(2.5, Offset.offset(1e-9));

    observer.observe(run(true), now.plusSeconds(31));
    assertThat(queries).as("the next interval: both again").hasSize(4);
  }

  @Test
  void aFailingLatencyQueryLeavesTheMatchRatesAndOnlyTheLatencyDataMissing() {
    latencyFails.set(true);
    ObservedMetrics metrics = observer.observe(run(true), Instant.now()).metrics();
    assertThat(metrics).isInstanceOf(ObservedMetrics.Available.class);
    ObservedMetrics.Available available = (ObservedMetrics.Available) metrics;
    assertThat(available.countsFor("a").matched()).isEqualTo(100);
    assertThat(available.latencyFor("a")).isEqualTo(LatencyRatios.NONE);
  }
}
