package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.LatencyRollbackSpec;
import io.parallelrun.api.LatencyThresholdSpec;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.RollbackSpec;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyQueryTest {
  static final String SCOPE = "namespace=\"shop\",pod=~\"orders-proxy-[a-z0-9]+-[a-z0-9]+\"";

  static EndpointSpec gated(String name, String window) {
    return gated(name, window, new LatencyThresholdSpec(1.1, 1.2));
  }

  static EndpointSpec gated(String name, String window, LatencyThresholdSpec gate) {
    EndpointSpec e = Manifests.endpoint(name, HttpMethod.GET, "/" + name);
    ThresholdSpec threshold = new ThresholdSpec(null, null, window, null);
    threshold.setLatency(gate);
    e.setThreshold(threshold);
    return e;
  }

  @Test
  void aRunWithoutLatencySettingsAsksNothingMore() {
    ParallelRunSpec spec = Manifests.spec(null, null, Manifests.endpoint("a", HttpMethod.GET, "/a"));
    assertThat(LatencyQuery.build("shop", "orders", SpecDefaults.resolve(spec))).isEmpty();
  }

  @Test
  void bothQuantilesOfOnlyTheGatedEndpointsComeFromOneQueryScopedByTargetLabels() {
    ParallelRunSpec spec = Manifests.spec(null, null, gated("a", "10m"), Manifests.endpoint("plain", HttpMethod.GET, "/p"));
    String bucket = "sum by (endpoint, side, le) (rate(parallelrun_compared_latency_seconds_bucket{" + SCOPE
        + ",endpoint=~\"a\"}[600s]))";
    assertThat(LatencyQuery.build("shop", "orders", SpecDefaults.resolve(spec))).contains(
        "label_replace(histogram_quantile(0.5, " + bucket + "), \"quantile\", \"0.5\", \"\", \"\")"
            + " or label_replace(histogram_quantile(0.99, " + bucket + "), \"quantile\", \"0.99\", \"\", \"\")");
  }

  @Test
  void aRollbackAloneMeasuresEveryEndpointEachOnItsOwnWindow() {
    ParallelRunSpec spec = Manifests.spec(new ThresholdSpec(null, null, "30s", null), null,
        Manifests.endpoint("a", HttpMethod.GET, "/a"), gated("slow", "1h"), Manifests.endpoint("b", HttpMethod.GET, "/b"));
    RollbackSpec rollback = new RollbackSpec();
    rollback.setLatency(new LatencyRollbackSpec(2.0));
    spec.setRollback(rollback);
    String query = LatencyQuery.build("shop", "orders", SpecDefaults.resolve(spec)).orElseThrow();
    assertThat(query).contains("endpoint=~\"a|b\"}[30s]").contains("endpoint=~\"slow\"}[3600s]")
        .doesNotContain("parallelrun=").doesNotContain("exported_");
    assertThat(query.split(" or ")).as("p50 of slow (its gate), p99 of each window (the rollback)").hasSize(3);
    assertThat(query).contains("histogram_quantile(0.5, sum by (endpoint, side, le) (rate("
        + "parallelrun_compared_latency_seconds_bucket{" + SCOPE + ",endpoint=~\"slow\"}[3600s]))");
  }

  @Test
  void eachQuantileIsAskedOnlyForTheEndpointsThatNeedIt() {
    ParallelRunSpec spec = Manifests.spec(null, null, gated("tail", "10m", new LatencyThresholdSpec(null, 1.2)),
        gated("median", "10m", new LatencyThresholdSpec(1.1, null)));
    String query = LatencyQuery.build("shop", "orders", SpecDefaults.resolve(spec)).orElseThrow();
    assertThat(query.split(" or ")).hasSize(2);
    assertThat(query).contains("histogram_quantile(0.5, sum by (endpoint, side, le) (rate("
            + "parallelrun_compared_latency_seconds_bucket{" + SCOPE + ",endpoint=~\"median\"}[600s]))")
        .contains("histogram_quantile(0.99, sum by (endpoint, side, le) (rate("
            + "parallelrun_compared_latency_seconds_bucket{" + SCOPE + ",endpoint=~\"tail\"}[600s]))");
  }

  @Test
  void ratiosAreCandidateOverLegacyWithBothSidesKeptAndAMissingOrNonFiniteSideIsNoData() {
    List<PrometheusClient.Sample> samples = List.of(
        sample("a", "0.5", "legacy", 0.1), sample("a", "0.5", "candidate", 0.12),
        sample("a", "0.99", "legacy", 0.2), sample("a", "0.99", "candidate", 0.42),
        sample("nan", "0.5", "legacy", Double.NaN), sample("nan", "0.5", "candidate", 0.1),
        sample("inf", "0.99", "legacy", 0.1), sample("inf", "0.99", "candidate", Double.POSITIVE_INFINITY),
        sample("zero", "0.99", "legacy", 0.0), sample("zero", "0.99", "candidate", 0.1),
        sample("one-side", "0.99", "legacy", 0.1),
        new PrometheusClient.Sample(Map.of("endpoint", "unlabelled", "side", "legacy"), 0.1));
    Map<String, LatencyRatios> ratios = LatencyRatios.fromSamples(samples);
    assertThat(ratios.get("a").p50Ratio()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ratios.get("a").p99Ratio()).isCloseTo(2.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ratios.get("a").p99()).as("both sides' seconds, for the floor").isEqualTo(new LatencyRatios.Quantile(0.42, 0.2));
    assertThat(ratios.get("a").p99().differenceSeconds()).isCloseTo(0.22, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ratios.get("nan")).isEqualTo(LatencyRatios.NONE);
    assertThat(ratios.get("inf")).isEqualTo(LatencyRatios.NONE);
    assertThat(ratios.get("zero")).as("legacy 0 s: no ratio").isEqualTo(LatencyRatios.NONE);
    assertThat(ratios.get("one-side")).isEqualTo(LatencyRatios.NONE);
    assertThat(ratios).doesNotContainKey("unlabelled");
  }

  private static PrometheusClient.Sample sample(String endpoint, String quantile, String side, double seconds) {
    return new PrometheusClient.Sample(Map.of("endpoint", endpoint, "quantile", quantile, "side", side), seconds);
  }
}
