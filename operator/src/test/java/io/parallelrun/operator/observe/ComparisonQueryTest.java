package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonQueryTest {
  @Test
  void oneSharedWindowIsOneSelectorOverEveryEndpointButTheNoRouteBucket() {
    ParallelRunSpec spec = Manifests.spec(new ThresholdSpec(null, null, "10m", null), null,
        Manifests.endpoint("a", HttpMethod.GET, "/a"), Manifests.endpoint("b", HttpMethod.GET, "/b"));
    assertThat(ComparisonQuery.build("shop", "orders", SpecDefaults.resolve(spec))).isEqualTo(
        "sum by (endpoint, result) (increase(parallelrun_comparisons_total"
            + "{namespace=\"shop\",pod=~\"orders-proxy-[a-z0-9]+-[a-z0-9]+\",endpoint!=\"_no_route\"}[600s]))");
  }

  @Test
  void anEndpointNamedLikeAComparisonResultIsAnEndpointLikeAnyOther() {
    // "unmatched" was once also the no-route bucket's endpoint label, and the query left it out.
    ParallelRunSpec spec = Manifests.spec(null, null, Manifests.endpoint("unmatched", HttpMethod.GET, "/a"));
    assertThat(ComparisonQuery.build("shop", "orders", SpecDefaults.resolve(spec)))
        .doesNotContain("\"unmatched\"").contains("endpoint!=\"_no_route\"");
  }

  @Test
  void seriesAreSelectedByTheTargetLabelsPrometheusAttachesNotByExportedOnes() {
    ParallelRunSpec spec = Manifests.spec(null, null, Manifests.endpoint("a", HttpMethod.GET, "/a"));
    String query = ComparisonQuery.build("shop", "orders.v2", SpecDefaults.resolve(spec));
    assertThat(query).contains("namespace=\"shop\"").contains("pod=~\"orders\\\\.v2-proxy-[a-z0-9]+-[a-z0-9]+\"")
        .doesNotContain("parallelrun=");
    assertThat("orders.v2-proxy-6d5f8b9c7-x2k4p").matches(ComparisonQuery.proxyPodPattern("orders.v2"));
    assertThat("ordersXv2-proxy-6d5f8b9c7-x2k4p").doesNotMatch(ComparisonQuery.proxyPodPattern("orders.v2"));
    assertThat("orders-proxy-b-proxy-6d5f8b9c7-x2k4p").as("another run's proxy")
        .doesNotMatch(ComparisonQuery.proxyPodPattern("orders"));
  }

  @Test
  void defaultWindowIsTenMinutes() {
    ParallelRunSpec spec = Manifests.spec(null, null, Manifests.endpoint("a", HttpMethod.GET, "/a"));
    assertThat(ComparisonQuery.build("shop", "orders", SpecDefaults.resolve(spec))).endsWith("[600s]))");
  }

  @Test
  void differentWindowsStayOneQueryWithEachEndpointOnItsOwnWindow() {
    var slow = Manifests.endpoint("slow", HttpMethod.GET, "/slow");
    slow.setThreshold(new ThresholdSpec(null, null, "1h", null));
    ParallelRunSpec spec = Manifests.spec(new ThresholdSpec(null, null, "30s", null), null,
        Manifests.endpoint("a", HttpMethod.GET, "/a"), slow, Manifests.endpoint("b", HttpMethod.GET, "/b"));
    assertThat(ComparisonQuery.build("shop", "orders", SpecDefaults.resolve(spec))).isEqualTo(
        "sum by (endpoint, result) (increase(parallelrun_comparisons_total"
            + "{namespace=\"shop\",pod=~\"orders-proxy-[a-z0-9]+-[a-z0-9]+\",endpoint=~\"a|b\"}[30s]))"
            + " or sum by (endpoint, result) (increase(parallelrun_comparisons_total"
            + "{namespace=\"shop\",pod=~\"orders-proxy-[a-z0-9]+-[a-z0-9]+\",endpoint=~\"slow\"}[3600s]))");
  }

  @Test
  void countsComputeSamplesAndMatchRateWithoutSkipped() {
    ComparisonCounts counts = ComparisonCounts.NONE.plus("matched", 97).plus("unmatched", 2).plus("failed", 1)
        .plus("skipped", 50).plus("something-new", 7);
    assertThat(counts.samples()).isEqualTo(100);
    assertThat(counts.matchRate()).isEqualTo(97.0);
    assertThat(ComparisonCounts.NONE.matchRate()).isNull();
    assertThat(List.of(counts.skipped())).containsExactly(50L);
  }
}
