package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.ComparatorSpec;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.NoiseMode;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Manifests;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DifferencesQueryTest {
  static final String SCOPE = LatencyQueryTest.SCOPE;
  static final ComparisonCounts ALL_MATCHED = new ComparisonCounts(100, 0, 0, 0);
  static final ComparisonCounts SOME_UNMATCHED = new ComparisonCounts(90, 10, 0, 0);

  static EndpointSpec endpoint(String name, String window) {
    EndpointSpec e = Manifests.endpoint(name, HttpMethod.GET, "/" + name);
    e.setThreshold(new ThresholdSpec(null, null, window, null));
    return e;
  }

  static EndpointSpec ignoringNoise(EndpointSpec e) {
    ComparatorSpec comparator = new ComparatorSpec();
    comparator.setNoise(NoiseMode.Ignore);
    e.setComparator(comparator);
    return e;
  }

  static java.util.Optional<String> build(ParallelRunSpec spec, Map<String, ComparisonCounts> counts) {
    return DifferencesQuery.build("shop", "orders", SpecDefaults.resolve(spec), counts);
  }

  @Test
  void aRunWhoseComparisonsAllMatchAsksNothingMore() {
    ParallelRunSpec spec = Manifests.spec(null, null, endpoint("a", "10m"), endpoint("b", "10m"));
    assertThat(build(spec, Map.of("a", ALL_MATCHED, "b", new ComparisonCounts(0, 0, 7, 0)))).as("failed ones have no fields")
        .isEmpty();
    assertThat(build(spec, Map.of())).isEmpty();
  }

  @Test
  void fieldsAndNoiseOfOnlyTheUnmatchedEndpointsComeFromOneQueryScopedByTargetLabels() {
    ParallelRunSpec spec = Manifests.spec(null, null, endpoint("a", "10m"), endpoint("healthy", "10m"));
    String selector = "{" + SCOPE + ",endpoint=~\"a\"}[600s]";
    assertThat(build(spec, Map.of("a", SOME_UNMATCHED, "healthy", ALL_MATCHED))).contains(
        "label_replace(sum by (endpoint, field) (increase(parallelrun_mismatch_fields_total" + selector + ")) > 0,"
            + " \"reading\", \"mismatched\", \"\", \"\")"
            + " or label_replace(sum by (endpoint, field) (increase(parallelrun_noise_fields_total" + selector
            + ")) > 0, \"reading\", \"noise\", \"\", \"\")");
  }

  @Test
  void eachWindowIsItsOwnGroupAndEveryPartOneOr() {
    ParallelRunSpec spec = Manifests.spec(null, null, endpoint("a", "30s"), endpoint("b", "30s"), endpoint("slow", "1h"));
    String query = build(spec, Map.of("a", SOME_UNMATCHED, "b", SOME_UNMATCHED, "slow", SOME_UNMATCHED)).orElseThrow();
    assertThat(query.split(" or ")).as("mismatched and noise per window").hasSize(4);
    assertThat(query).contains("parallelrun_mismatch_fields_total{" + SCOPE + ",endpoint=~\"a|b\"}[30s]")
        .contains("parallelrun_noise_fields_total{" + SCOPE + ",endpoint=~\"a|b\"}[30s]")
        .contains("parallelrun_mismatch_fields_total{" + SCOPE + ",endpoint=~\"slow\"}[3600s]")
        .doesNotContain("parallelrun=").doesNotContain("exported_");
  }

  @Test
  void endpointsThatIgnoreNoiseAreAskedTheirIgnoredFieldsEvenWhenEverythingMatches() {
    EndpointSpec notMirrored = ignoringNoise(Manifests.endpoint("write", HttpMethod.POST, "/w"));
    ParallelRunSpec spec = Manifests.spec(null, null, ignoringNoise(endpoint("a", "10m")), endpoint("b", "10m"),
        notMirrored);
    assertThat(build(spec, Map.of("a", ALL_MATCHED, "b", ALL_MATCHED))).contains(
        "label_replace(max by (endpoint, field) (parallelrun_noise_ignored_fields{" + SCOPE + ",endpoint=~\"a\"}) > 0,"
            + " \"reading\", \"ignored\", \"\", \"\")");
  }

  @Test
  void countsAreReadPerEndpointAndReadingAndWhatIsNotACountIsLeftOut() {
    List<PrometheusClient.Sample> samples = List.of(
        sample("a", "header:x-served-by", "mismatched", 99.6), sample("a", "header:x-served-by", "noise", 4.2),
        sample("a", "body:$.total", "mismatched", Double.NaN), sample("a", "body:$.id", "mismatched", Double.POSITIVE_INFINITY),
        sample("a", "header:x-z", "ignored", 1), sample("a", "header:x-y", "ignored", 0),
        sample("b", "status", "mismatched", 3), sample("b", "status", "something new", 3),
        new PrometheusClient.Sample(Map.of("endpoint", "unlabelled", "reading", "mismatched"), 1));
    Map<String, FieldCounts> fields = FieldCounts.fromSamples(samples);
    assertThat(fields.get("a")).isEqualTo(new FieldCounts(Map.of("header:x-served-by", 100L),
        Map.of("header:x-served-by", 4L), Set.of("header:x-z")));
    assertThat(fields.get("b")).isEqualTo(new FieldCounts(Map.of("status", 3L), Map.of(), Set.of()));
    assertThat(fields).doesNotContainKey("unlabelled");
  }

  private static PrometheusClient.Sample sample(String endpoint, String field, String reading, double value) {
    return new PrometheusClient.Sample(Map.of("endpoint", endpoint, "field", field, "reading", reading), value);
  }
}
