package io.parallelrun.api;

import java.time.Duration;
import java.util.List;

/**
 * One endpoint with every default applied: what the proxy routes and compares by, and what the operator
 * decides by. Both read it through {@link SpecDefaults#resolve}, so they can never disagree on a default.
 *
 * @param confidence percent, null when the decision compares the observed match rate as it is (no interval)
 * @param latency the latency gate and rollback, {@link ResolvedLatency#NONE} without either
 */
public record ResolvedEndpoint(
    String name,
    HttpMethod method,
    String path,
    double matchRate,
    long minSamples,
    Duration window,
    Duration holdFor,
    double rollbackBelow,
    Double confidence,
    List<Integer> steps,
    boolean mirror,
    int mirrorPercent,
    Promotion promotion,
    ResolvedComparator comparator,
    ResolvedLatency latency) {

  public ResolvedEndpoint {
    steps = List.copyOf(steps);
    latency = latency != null ? latency : ResolvedLatency.NONE;
  }

  /** An endpoint without latency settings. */
  public ResolvedEndpoint(String name, HttpMethod method, String path, double matchRate, long minSamples,
      Duration window, Duration holdFor, double rollbackBelow, Double confidence, List<Integer> steps, boolean mirror,
      int mirrorPercent, Promotion promotion, ResolvedComparator comparator) {
    this(name, method, path, matchRate, minSamples, window, holdFor, rollbackBelow, confidence, steps, mirror,
        mirrorPercent, promotion, comparator, ResolvedLatency.NONE);
  }
}
