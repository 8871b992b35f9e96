package io.parallelrun.api.metrics;

/**
 * The {@code reason} label of parallelrun_shadows_dropped_total: which bound shed the shadow, and so which flag
 * to raise if the drops are not wanted.
 */
public enum DropReason {
  /** {@code --max-in-flight-comparisons} reached: shadows and comparisons pile up (also when the lanes fall behind). */
  in_flight_limit,
  /** Every shadow connection of the lane to that side busy, and as many shadows already waiting ({@code --pool-size}). */
  shadow_pool_full
}
