package io.parallelrun.operator.decide;

import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.FieldDifference;
import io.parallelrun.api.metrics.FieldName;
import io.parallelrun.operator.observe.FieldCounts;
import java.util.List;
import java.util.Map;

/**
 * An endpoint's status.endpoints[].differences and ignoredNoise from the fields its comparisons differed at, and the
 * words its message adds when the match rate is what holds it back: the answer to "why is it not cut over". Pure.
 */
final class FieldDifferences {
  private FieldDifferences() {}

  /**
   * The fields most comparisons differed at, most first (ties by name, so the same counts always read the same), up
   * to {@link EndpointStatus#MAX_DIFFERENCES}; empty without unmatched comparisons.
   *
   * @param samples the window's comparisons of the endpoint, which each percent is of
   */
  static List<FieldDifference> top(FieldCounts fields, long samples) {
    if (samples <= 0) return List.of();
    return fields.mismatched().entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(EndpointStatus.MAX_DIFFERENCES)
        .map(e -> difference(e.getKey(), e.getValue(), samples, fields.noiseAt(e.getKey()) > 0))
        .toList();
  }

  /** The fields a proxy ignores as learned noise, sorted, up to {@link EndpointStatus#MAX_IGNORED_NOISE}. */
  static List<String> ignored(FieldCounts fields) {
    return fields.ignored().stream().sorted().limit(EndpointStatus.MAX_IGNORED_NOISE).toList();
  }

  /**
   * What the message adds after the match rate: the top field, e.g. {@code : 100% differ at header:x-served-by
   * (noise: legacy differs from itself; suggest ignoreHeaders: [x-served-by])}; nothing without differences.
   */
  static String why(List<FieldDifference> differences) {
    if (differences == null || differences.isEmpty()) return "";
    FieldDifference top = differences.get(0);
    String suggest = top.getSuggestion() == null ? "" : "; suggest " + top.getSuggestion();
    String noise = Boolean.TRUE.equals(top.getNoise()) ? " (noise: legacy differs from itself" + suggest + ")" : "";
    return ": " + Percentages.text(top.getPercent()) + " differ at " + top.getField() + noise;
  }

  private static FieldDifference difference(String field, long count, long samples, boolean noise) {
    // increase() extrapolates each series on its own, so a field can count a little more than the comparisons did.
    double percent = Math.min(100.0, 100.0 * count / samples);
    return new FieldDifference(field, Percentages.display(percent), noise,
        noise ? FieldName.rule(field).map(FieldName.Rule::toString).orElse(null) : null);
  }

  /** Status lists are absent rather than empty, as other absent observations are. */
  static <T> List<T> orNull(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }
}
