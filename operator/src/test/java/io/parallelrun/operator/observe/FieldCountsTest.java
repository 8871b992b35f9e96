package io.parallelrun.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.metrics.FieldName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The differences query's answer read as counts, when Prometheus (or what answers in its place) is hostile. */
class FieldCountsTest {
  static PrometheusClient.Sample sample(String endpoint, String field, String reading, double value) {
    Map<String, String> labels = new HashMap<>();
    if (endpoint != null) labels.put("endpoint", endpoint);
    if (field != null) labels.put("field", field);
    if (reading != null) labels.put(DifferencesQuery.READING, reading);
    return new PrometheusClient.Sample(labels, value);
  }

  @Test
  void aHostileAnswerLeavesOutWhatNoProxyCouldHaveSentAndKeepsTheRest() {
    String huge = "body:$." + "a".repeat(FieldName.MAX_LENGTH);
    Map<String, FieldCounts> counts = FieldCounts.fromSamples(List.of(
        sample("a", "header:x-served-by", DifferencesQuery.MISMATCHED, 20),
        sample("a", huge, DifferencesQuery.MISMATCHED, 1e6),
        sample("a", huge, DifferencesQuery.IGNORED, 1),
        sample("a", "body:$.total", DifferencesQuery.MISMATCHED, Double.NaN),
        sample("a", "body:$.items", DifferencesQuery.MISMATCHED, Double.POSITIVE_INFINITY),
        sample("a", "body:$.price", DifferencesQuery.NOISE, -3),
        sample("a", "status", "forged", 5),
        sample("a", null, DifferencesQuery.MISMATCHED, 5),
        sample(null, "status", DifferencesQuery.MISMATCHED, 5),
        sample("a", "header:x-served-by", DifferencesQuery.NOISE, 2)));

    assertThat(counts).containsOnlyKeys("a");
    FieldCounts a = counts.get("a");
    assertThat(a.mismatched()).containsExactly(Map.entry("header:x-served-by", 20L));
    assertThat(a.noise()).containsExactly(Map.entry("header:x-served-by", 2L));
    assertThat(a.ignored()).as("a field longer than any a proxy names never reaches status").isEmpty();
  }
}
