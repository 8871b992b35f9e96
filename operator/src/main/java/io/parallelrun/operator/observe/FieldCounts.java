package io.parallelrun.operator.observe;

import io.parallelrun.api.metrics.FieldName;
import io.parallelrun.api.metrics.MetricLabels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields one endpoint's answers differed at over its window, from a {@link DifferencesQuery}: unmatched
 * comparisons by field ({@code parallelrun_mismatch_fields_total}), noise probes in which legacy differed from itself
 * by field ({@code parallelrun_noise_fields_total}), and the fields a proxy of the run ignores as learned noise
 * ({@code parallelrun_noise_ignored_fields}). Counts are rounded once here, as {@link ComparisonCounts} are.
 */
public record FieldCounts(Map<String, Long> mismatched, Map<String, Long> noise, Set<String> ignored) {
  public static final FieldCounts NONE = new FieldCounts(Map.of(), Map.of(), Set.of());

  public FieldCounts {
    mismatched = Map.copyOf(mismatched);
    noise = Map.copyOf(noise);
    ignored = Set.copyOf(ignored);
  }

  /** Noise probes in which legacy differed from itself at this field in the window. */
  public long noiseAt(String field) {
    return noise.getOrDefault(field, 0L);
  }

  /**
   * The counts per endpoint from the answer to a {@link DifferencesQuery}. A sample without its labels, of a kind
   * this operator does not know, whose field is longer than any a proxy names (it would go into status as it is), or
   * whose value is not a count is left out: these are diagnostics, and one bad sample must not hide the others.
   */
  static Map<String, FieldCounts> fromSamples(List<PrometheusClient.Sample> samples) {
    Map<String, Map<String, Long>> mismatched = new HashMap<>();
    Map<String, Map<String, Long>> noise = new HashMap<>();
    Map<String, Set<String>> ignored = new HashMap<>();
    for (PrometheusClient.Sample sample : samples) {
      String endpoint = sample.labels().get(MetricLabels.ENDPOINT);
      String field = sample.labels().get(MetricLabels.FIELD);
      String reading = sample.labels().get(DifferencesQuery.READING);
      if (endpoint == null || field == null || reading == null || field.length() > FieldName.MAX_LENGTH
          || !MetricsObserver.isCount(sample.value())) {
        continue;
      }
      long count = Math.round(sample.value());
      switch (reading) {
        case DifferencesQuery.MISMATCHED ->
            mismatched.computeIfAbsent(endpoint, e -> new HashMap<>()).merge(field, count, Long::sum);
        case DifferencesQuery.NOISE ->
            noise.computeIfAbsent(endpoint, e -> new HashMap<>()).merge(field, count, Long::sum);
        case DifferencesQuery.IGNORED -> {
          if (count > 0) ignored.computeIfAbsent(endpoint, e -> new HashSet<>()).add(field);
        }
        default -> { }
      }
    }
    Set<String> endpoints = new HashSet<>(mismatched.keySet());
    endpoints.addAll(noise.keySet());
    endpoints.addAll(ignored.keySet());
    Map<String, FieldCounts> byEndpoint = new HashMap<>();
    for (String endpoint : endpoints) {
      byEndpoint.put(endpoint, new FieldCounts(mismatched.getOrDefault(endpoint, Map.of()),
          noise.getOrDefault(endpoint, Map.of()), ignored.getOrDefault(endpoint, Set.of())));
    }
    return byEndpoint;
  }
}
