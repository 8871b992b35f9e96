package io.parallelrun.api;

import java.time.Duration;

/**
 * An endpoint's latency settings with every default applied; each ratio is candidate / legacy of a latency quantile
 * over the endpoint's window, null where the spec sets none.
 *
 * @param p50Ratio the gate on the median
 * @param p99Ratio the gate on the 99th percentile
 * @param p99RollbackAbove the 99th percentile ratio above which an endpoint with weight is rolled back
 * @param minDifference how much slower than legacy the candidate's quantile must also be for a ratio above its gate
 *     or rollback to count; below it, the ratio holds nothing back and rolls nothing back
 */
public record ResolvedLatency(Double p50Ratio, Double p99Ratio, Double p99RollbackAbove, Duration minDifference) {
  public static final ResolvedLatency NONE =
      new ResolvedLatency(null, null, null, SpecDefaults.LATENCY_MIN_DIFFERENCE);

  public ResolvedLatency {
    minDifference = minDifference != null ? minDifference : SpecDefaults.LATENCY_MIN_DIFFERENCE;
  }

  /** Whether the endpoint is gated on latency (it needs a ratio within its gate to be promoted). */
  public boolean gated() {
    return p50Ratio != null || p99Ratio != null;
  }

  /** Whether the operator needs the endpoint's latency ratios at all: for a gate or a rollback. */
  public boolean measured() {
    return gated() || p99RollbackAbove != null;
  }
}
