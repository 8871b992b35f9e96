package io.parallelrun.proxy.noise;

import io.parallelrun.api.SpecDefaults;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How many noise probes one endpoint may still send in this proxy: at most {@code perMinute} in any minute (a
 * sliding window, exact, so a burst never doubles the rate at a minute's edge) and never more than
 * {@link SpecDefaults#NOISE_PROBES_MAX_SHARE} of the endpoint's requests. Kept with the endpoint's meters, so a
 * routing-table rebuild does not hand out a fresh budget.
 */
public final class ProbeBudget {
  private static final long MINUTE_NANOS = 60_000_000_000L;
  /** Requests per probe at most: 20 for 5 %. */
  private static final long REQUESTS_PER_PROBE = Math.round(1 / SpecDefaults.NOISE_PROBES_MAX_SHARE);

  private final LongSupplier nanoClock;
  private final ArrayDeque<Long> takenInLastMinute = new ArrayDeque<>(); // at most perMinute (≤ 600) entries
  private long taken;

  public ProbeBudget(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Takes one probe from the budget when both bounds allow it.
   *
   * @param perMinute the endpoint's comparator.noiseProbesPerMinute
   * @param requests the endpoint's requests so far
   */
  public synchronized boolean tryTake(int perMinute, long requests) {
    if ((taken + 1) * REQUESTS_PER_PROBE > requests) return false;
    long now = nanoClock.getAsLong();
    while (!takenInLastMinute.isEmpty() && now - takenInLastMinute.peekFirst() >= MINUTE_NANOS) {
      takenInLastMinute.pollFirst();
    }
    if (takenInLastMinute.size() >= perMinute) return false;
    takenInLastMinute.addLast(now);
    taken++;
    return true;
  }
}
