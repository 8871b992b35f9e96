package io.parallelrun.api.metrics;

/**
 * The {@code result} label of parallelrun_comparisons_total: the proxy counts each comparison under one of these,
 * and the operator's match rate is matched / (matched + unmatched + failed). Lowercase: the names are the values.
 */
public enum ComparisonResult {
  /** Legacy and candidate answered alike. */
  matched,
  /** Both answered, differently (parallelrun_mismatches_total says where). */
  unmatched,
  /** No comparable answer from a side: refused, reset, timed out, unparseable. Counts against the match rate. */
  failed,
  /** A body over {@code --max-body-bytes}: nothing compared, not a sample. */
  skipped;

  /** The result a label value names, or null for one this build does not know (a newer proxy's, say). */
  public static ComparisonResult ofLabel(String value) {
    for (ComparisonResult result : values()) {
      if (result.name().equals(value)) return result;
    }
    return null;
  }
}
