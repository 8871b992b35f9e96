package io.parallelrun.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.parallelrun.api.metrics.ComparisonResult;
import io.parallelrun.api.metrics.DropReason;
import io.parallelrun.api.metrics.MismatchAxis;
import io.parallelrun.proxy.noise.EndpointNoise;
import io.parallelrun.proxy.routing.Side;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Pre-registered meters of one endpoint, so the request path does no registry lookups. */
public final class EndpointMetrics {
  private final Map<ComparisonResult, Counter> comparisons;
  private final Map<MismatchAxis, Counter> mismatches;
  private final Map<Side, Timer> latency;
  private final Map<Side, Counter> requests;
  private final Map<DropReason, Counter> shadowsDropped;
  private final Counter fallbacks;
  private final Map<Side, Timer> comparedLatency;
  private final MismatchFieldCounts mismatchFields;
  private final EndpointNoise noise;

  EndpointMetrics(Map<ComparisonResult, Counter> comparisons, Map<MismatchAxis, Counter> mismatches,
      Map<Side, Timer> latency, Map<Side, Counter> requests, Map<DropReason, Counter> shadowsDropped, Counter fallbacks,
      Map<Side, Timer> comparedLatency, MismatchFieldCounts mismatchFields, EndpointNoise noise) {
    this.comparisons = comparisons;
    this.mismatches = mismatches;
    this.latency = latency;
    this.requests = requests;
    this.shadowsDropped = shadowsDropped;
    this.fallbacks = fallbacks;
    this.comparedLatency = comparedLatency;
    this.mismatchFields = mismatchFields;
    this.noise = noise;
  }

  public void comparison(ComparisonResult result) {
    comparisons.get(result).increment();
  }

  public void mismatch(MismatchAxis axis) {
    mismatches.get(axis).increment();
  }

  public void latency(Side side, long nanos) {
    latency.get(side).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void answered(Side side) {
    requests.get(side).increment();
  }

  public void shadowDropped(DropReason reason) {
    shadowsDropped.get(reason).increment();
  }

  /** The series of the fields at which unmatched comparisons differ. */
  public MismatchFieldCounts mismatchFields() {
    return mismatchFields;
  }

  /** The endpoint's noise learning, or null for the no-route bucket (never compared). */
  public EndpointNoise noise() {
    return noise;
  }

  /** Client requests of the endpoint so far, whichever side answered: what noise probes are a share of. */
  public long requests() {
    double n = 0;
    for (Counter c : requests.values()) n += c.count();
    return (long) n;
  }

  /** The candidate was to answer but failed before its answer began; legacy answered instead. */
  public void fellBackToLegacy() {
    fallbacks.increment();
  }

  /**
   * A compared request's two latencies, each from sending it upstream to the last byte of the answer; a side
   * whose latency is unknown (negative) leaves the pair unrecorded, so the two histograms always count the same
   * requests.
   */
  public void compared(long legacyNanos, long candidateNanos) {
    if (legacyNanos < 0 || candidateNanos < 0) return;
    comparedLatency.get(Side.legacy).record(legacyNanos, TimeUnit.NANOSECONDS);
    comparedLatency.get(Side.candidate).record(candidateNanos, TimeUnit.NANOSECONDS);
  }
}
