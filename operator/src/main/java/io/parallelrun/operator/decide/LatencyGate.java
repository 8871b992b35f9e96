package io.parallelrun.operator.decide;

import io.parallelrun.api.ResolvedLatency;
import io.parallelrun.operator.observe.LatencyRatios;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The latency gate and rollback of one endpoint, on its measured candidate / legacy quantiles. Pure. A ratio breaches
 * a gate or the rollback only when it is above it and the candidate is also at least the endpoint's minDifference
 * slower at that quantile: below that floor a ratio mostly measures the proxy's event loops (the answering side is
 * timed relaying to the client, the shadow is not), so it neither holds nor rolls back anything. A quantile that is
 * missing (no latency data for a side) neither passes nor fails: the gate is frozen, so the endpoint is not
 * promoted, and it is not rolled back because of latency either.
 */
final class LatencyGate {
  private LatencyGate() {}

  /** Why the latency gate holds the endpoint back (a ratio that breaches its gate, or no data for one), if it does. */
  static Optional<String> holdsBack(ResolvedLatency gate, LatencyRatios measured, Duration window) {
    return check("p50", gate.p50Ratio(), measured.p50(), gate.minDifference(), window)
        .or(() -> check("p99", gate.p99Ratio(), measured.p99(), gate.minDifference(), window))
        .or(() -> wouldRollBack(gate, measured));
  }

  /**
   * The rollback's ratio holds promotion too: an endpoint promoted while its p99 breaches it would be rolled back at
   * the next analysis, and promoted again once it is back at 0, endlessly. Like rollsBack, only on data: without it
   * the rollback neither fires nor holds (an endpoint with no gate of its own is not frozen by it).
   */
  private static Optional<String> wouldRollBack(ResolvedLatency gate, LatencyRatios measured) {
    if (!rollsBack(gate, measured)) return Optional.empty();
    return Optional.of(above("p99", measured.p99(), gate.p99RollbackAbove()) + ", above which it would be rolled back ("
        + difference(measured.p99()) + ")");
  }

  /**
   * Whether the measured p99 breaches the rollback's ratio (above it, and by at least the floor); never on missing
   * data.
   */
  static boolean rollsBack(ResolvedLatency gate, LatencyRatios measured) {
    return gate.p99RollbackAbove() != null && measured.p99() != null
        && breaches(measured.p99(), gate.p99RollbackAbove(), gate.minDifference());
  }

  /**
   * For a cut-over endpoint, which has no step left to be held from: each gated quantile that breaches its gate, as
   * a measurement ("p99 latency 2.2x legacy (+48 ms)"), if any.
   */
  static Optional<String> breachedGates(ResolvedLatency gate, LatencyRatios measured) {
    String breached = Stream.of(
            breached("p50", gate.p50Ratio(), measured.p50(), gate.minDifference()),
            breached("p99", gate.p99Ratio(), measured.p99(), gate.minDifference()))
        .flatMap(Optional::stream).reduce((a, b) -> a + ", " + b).orElse(null);
    return Optional.ofNullable(breached);
  }

  /** "p99 latency 2.1x legacy (+48 ms)". */
  static String measurement(String quantile, LatencyRatios.Quantile measured) {
    return quantile + " latency " + text(measured.ratio()) + " legacy (" + difference(measured) + ")";
  }

  /** "p99 latency 2.1x legacy > 1.2x". */
  private static String above(String quantile, LatencyRatios.Quantile measured, double limit) {
    return quantile + " latency " + text(measured.ratio()) + " legacy > " + text(limit);
  }

  /** For status: two decimals rounded up, so a shown ratio is within a gate only if the measured one was. */
  static Double display(Double ratio) {
    return ratio == null ? null : BigDecimal.valueOf(ratio).setScale(2, RoundingMode.CEILING).doubleValue();
  }

  /** For messages: "2.1x", "1.25x". */
  static String text(double ratio) {
    return BigDecimal.valueOf(ratio).setScale(2, RoundingMode.CEILING).stripTrailingZeros().toPlainString() + "x";
  }

  /** For messages: how much slower the candidate is, "+48 ms", "+0.6 ms" (a tenth of a ms below 10 ms). */
  static String difference(LatencyRatios.Quantile measured) {
    double ms = measured.differenceSeconds() * 1000;
    String text = BigDecimal.valueOf(ms).setScale(Math.abs(ms) >= 10 ? 0 : 1, RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
    return (ms >= 0 ? "+" : "") + text + " ms";
  }

  /** Above the ratio, and slower by at least the floor (compared in whole nanoseconds, as the floor is). */
  private static boolean breaches(LatencyRatios.Quantile measured, double limit, Duration minDifference) {
    return measured.ratio() > limit && Math.round(measured.differenceSeconds() * 1e9) >= minDifference.toNanos();
  }

  private static Optional<String> breached(String quantile, Double limit, LatencyRatios.Quantile measured,
      Duration minDifference) {
    return limit != null && measured != null && breaches(measured, limit, minDifference)
        ? Optional.of(measurement(quantile, measured)) : Optional.empty();
  }

  private static Optional<String> check(String quantile, Double limit, LatencyRatios.Quantile measured,
      Duration minDifference, Duration window) {
    if (limit == null) return Optional.empty();
    if (measured == null) {
      return Optional.of("no " + quantile + " latency data for both sides in the last " + window.toSeconds()
          + "s: the latency gate is frozen");
    }
    return breaches(measured, limit, minDifference)
        ? Optional.of(above(quantile, measured, limit) + " (" + difference(measured) + ")")
        : Optional.empty();
  }
}
