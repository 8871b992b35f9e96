package io.parallelrun.operator.observe;

import io.parallelrun.api.metrics.ComparisonResult;

/**
 * Increase of {@code parallelrun_comparisons_total} for one endpoint over its window, by result.
 * Prometheus' increase() extrapolates, so the raw values are fractional; they are rounded once here so
 * that the samples and match rate shown in status are computed from the same numbers the decision uses.
 */
public record ComparisonCounts(long matched, long unmatched, long failed, long skipped) {
  public static final ComparisonCounts NONE = new ComparisonCounts(0, 0, 0, 0);

  /** Comparisons that count toward the match rate: skipped ones compared nothing. */
  public long samples() {
    return matched + unmatched + failed;
  }

  /** Percent of samples that matched; failed comparisons count against it. Null without samples. */
  public Double matchRate() {
    long samples = samples();
    return samples == 0 ? null : 100.0 * matched / samples;
  }

  public ComparisonCounts plus(String result, long value) {
    ComparisonResult known = ComparisonResult.ofLabel(result);
    if (known == null) return this; // a result this operator does not know yet: ignore rather than miscount
    return switch (known) {
      case matched -> new ComparisonCounts(matched + value, unmatched, failed, skipped);
      case unmatched -> new ComparisonCounts(matched, unmatched + value, failed, skipped);
      case failed -> new ComparisonCounts(matched, unmatched, failed + value, skipped);
      case skipped -> new ComparisonCounts(matched, unmatched, failed, skipped + value);
    };
  }
}
