package io.parallelrun.operator.decide;

import io.parallelrun.api.ResolvedLatency;
import io.parallelrun.operator.observe.LatencyRatios;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;

/**
 * The latency gate and rollback of one endpoint, on its measured candidate / legacy ratios. Pure. A ratio that is
 * missing (no latency data for a side) neither passes nor fails: the gate is frozen, so the endpoint is not
 * promoted, and it is not rolled back because of latency either.
 */
final class LatencyGate {
  private LatencyGate() {}

  /** Why the latency gate holds the endpoint back (a ratio above its gate, or no data for one), if it does. */
  static Optional<String> holdsBack(ResolvedLatency gate, LatencyRatios measured, Duration window) {
    return check("p50", gate.p50Ratio(), measured.p50(), window)
        .or(() -> check("p99", gate.p99Ratio(), measured.p99(), window));
  }

  /** Whether the measured p99 ratio is above the rollback's; never on missing data. */
  static boolean rollsBack(ResolvedLatency gate, LatencyRatios measured) {
    return gate.p99RollbackAbove() != null && measured.p99() != null && measured.p99() > gate.p99RollbackAbove();
  }

  /** For status: two decimals rounded up, so a shown ratio is within a gate only if the measured one was. */
  static Double display(Double ratio) {
    return ratio == null ? null : BigDecimal.valueOf(ratio).setScale(2, RoundingMode.CEILING).doubleValue();
  }

  /** For messages: "2.1x", "1.25x". */
  static String text(double ratio) {
    return BigDecimal.valueOf(ratio).setScale(2, RoundingMode.CEILING).stripTrailingZeros().toPlainString() + "x";
  }

  private static Optional<String> check(String quantile, Double limit, Double ratio, Duration window) {
    if (limit == null) return Optional.empty();
    if (ratio == null) {
      return Optional.of("no " + quantile + " latency data for both sides in the last " + window.toSeconds()
          + "s: the latency gate is frozen");
    }
    return ratio > limit
        ? Optional.of(quantile + " latency " + text(ratio) + " legacy > " + text(limit))
        : Optional.empty();
  }
}
