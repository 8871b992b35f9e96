package io.parallelrun.proxy.metrics;

/** The {@code result} label of parallelrun_comparisons_total. */
public enum ComparisonResult {
  matched, unmatched, failed, skipped
}
