package io.parallelrun.api.metrics;

/** The {@code result} label of parallelrun_comparisons_total. */
public enum ComparisonResult {
  matched, unmatched, failed, skipped
}
