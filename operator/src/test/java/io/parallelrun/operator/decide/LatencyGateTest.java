package io.parallelrun.operator.decide;

import static io.parallelrun.api.EndpointState.CutOver;
import static io.parallelrun.api.EndpointState.Promoting;
import static io.parallelrun.api.EndpointState.Ready;
import static io.parallelrun.api.EndpointState.RolledBack;
import static io.parallelrun.api.EndpointState.Shadowing;
import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.LatencyRollbackSpec;
import io.parallelrun.api.LatencyThresholdSpec;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.RollbackSpec;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.observe.ComparisonCounts;
import io.parallelrun.operator.observe.LatencyRatios;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.support.Manifests;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * threshold.latency and rollback.latency: an endpoint is Ready only when every gate it declares holds (match rate,
 * confidence if set, each latency ratio); missing latency data freezes the latency gate (no promotion, no rollback
 * on latency); a p99 ratio above rollback.latency.p99RatioAbove sends an endpoint with weight back to 0. A ratio
 * counts against a gate or the rollback only when the candidate is also at least minDifference (default 10ms)
 * slower at that quantile. Without latency settings the latency data changes nothing.
 */
class LatencyGateTest extends DecisionFixtures {
  /** No gate, no rollback: the spec says nothing about latency. */
  static final Gate NO_LATENCY = new Gate(null, null, null, null);
  static final Gate P99 = new Gate(null, 1.2, null, null);
  static final Gate P50_P99 = new Gate(1.1, 1.2, null, null);
  static final Gate ROLLBACK = new Gate(null, null, 2.0, null);
  static final Gate P99_ROLLBACK = new Gate(null, 1.2, 2.0, null);
  static final Gate P99_CONFIDENCE = new Gate(null, 1.2, null, 95.0);
  /** The gate and rollback with the floor at 0s: the ratio alone decides, as before the floor existed. */
  static final Gate P99_ROLLBACK_NO_FLOOR = new Gate(null, 1.2, 2.0, null, "0s");
  static final Gate P99_ROLLBACK_FLOOR_100MS = new Gate(null, 1.2, 2.0, null, "100ms");
  /** A side without data: the ratios are unknown. */
  static final LatencyRatios NO_DATA = LatencyRatios.NONE;
  /** Legacy's quantiles in {@link #ratios}: 500 ms, exact in binary, so a ratio reads back as written. */
  static final double LEGACY_SECONDS = 0.5;
  static final String CUT_OVER = "cut over: the candidate answers; legacy is still compared as the shadow";

  /** @param minDifference threshold.latency.minDifference, null for the default (10ms) */
  record Gate(Double p50Ratio, Double p99Ratio, Double p99RollbackAbove, Double confidence, String minDifference) {
    Gate(Double p50Ratio, Double p99Ratio, Double p99RollbackAbove, Double confidence) {
      this(p50Ratio, p99Ratio, p99RollbackAbove, confidence, null);
    }
  }

  /** Quantiles of these ratios over a legacy of {@link #LEGACY_SECONDS}: any ratio above 1.02 is beyond the floor. */
  static LatencyRatios ratios(Double p50, Double p99) {
    return new LatencyRatios(p50 == null ? null : new LatencyRatios.Quantile(p50 * LEGACY_SECONDS, LEGACY_SECONDS),
        p99 == null ? null : new LatencyRatios.Quantile(p99 * LEGACY_SECONDS, LEGACY_SECONDS));
  }

  /** A p99 of these seconds, and a p50 equal on both sides. */
  static LatencyRatios p99(double candidateSeconds, double legacySeconds) {
    return new LatencyRatios(new LatencyRatios.Quantile(legacySeconds, legacySeconds),
        new LatencyRatios.Quantile(candidateSeconds, legacySeconds));
  }

  /**
   * @param matched of {@code samples} comparisons (minSamples 100)
   * @param message a part of the endpoint's message, null for no check
   * @param shownP99 the status' latencyP99Ratio
   */
  record Case(String name, Gate gate, EndpointStatus previous, long matched, long samples, LatencyRatios latency,
      int weight, EndpointState state, String events, String message, Double shownP99) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    EndpointStatus held = was(0, Ready, ago(60));
    EndpointStatus at10 = was(10, Promoting, ago(30));
    EndpointStatus cutOver = was(100, CutOver, ago(600));
    LatencyRatios fast = ratios(1.0, 1.1);
    LatencyRatios slowP99 = ratios(1.0, 2.1);
    LatencyRatios slowP50 = ratios(1.3, 1.1);
    LatencyRatios breach = ratios(1.5, 2.5);
    // Fast: the ratios of the slow ones, in well under a millisecond (the proxy's timing noise on equal backends).
    LatencyRatios fastButRatio25 = p99(0.001, 0.0004);
    LatencyRatios slowRatio25 = p99(0.1, 0.04);
    return Stream.of(
        // No latency config: today's decisions, whatever the latencies, and no ratios in status.
        new Case("no config, fast: promoted", NO_LATENCY, held, 1000, 1000, fast, 10, Promoting, "Promoted", null, null),
        new Case("no config, slow: promoted as today", NO_LATENCY, held, 1000, 1000, breach, 10, Promoting, "Promoted", null, null),
        new Case("no config, no latency data: promoted as today", NO_LATENCY, held, 1000, 1000, NO_DATA, 10, Promoting, "Promoted", null, null),
        new Case("no config, slow at weight 10: no rollback", NO_LATENCY, at10, 1000, 1000, breach, 10, Promoting, "", "threshold met", null),
        // Latency gate only (the match rate is perfect).
        new Case("p99 1.1x within 1.2x: promoted", P99, held, 1000, 1000, fast, 10, Promoting, "Promoted", null, 1.1),
        new Case("p99 exactly at its gate: promoted (at most)", P99, held, 1000, 1000, ratios(1.0, 1.2), 10, Promoting, "Promoted", null, 1.2),
        new Case("p99 2.1x over 1.2x: held, naming p99", P99, held, 1000, 1000, slowP99, 0, Shadowing, "", "p99 latency 2.1x legacy > 1.2x", 2.1),
        new Case("p50 1.3x over 1.1x: held, naming p50", P50_P99, held, 1000, 1000, slowP50, 0, Shadowing, "", "p50 latency 1.3x legacy > 1.1x", 1.1),
        new Case("p99 over at weight 10 without rollback: held at 10", P99, at10, 1000, 1000, slowP99, 10, Promoting, "", "p99 latency 2.1x legacy > 1.2x", 2.1),
        new Case("p99 over when cut over without rollback: stays cut over", P99, cutOver, 1000, 1000, slowP99, 100, CutOver, "", CUT_OVER + "; p99 latency 2.1x legacy (+550 ms)", 2.1),
        // Missing latency data: frozen, never a pass, never a fail.
        new Case("gate, no data: not promoted", P99, held, 1000, 1000, NO_DATA, 0, Shadowing, "", "no p99 latency data for both sides in the last 30s", null),
        new Case("gate, no p99 (only p50) data: not promoted", P99, held, 1000, 1000, ratios(1.0, null), 0, Shadowing, "", "no p99 latency data", null),
        new Case("gate and rollback, no data at weight 10: neither promoted nor rolled back", P99_ROLLBACK, at10, 1000, 1000, NO_DATA, 10, Promoting, "", "the latency gate is frozen", null),
        // Match rate + latency: every gate must hold; the message names each that does not.
        new Case("rate below, latency fine: held by the rate", P99, held, 989, 1000, fast, 0, Shadowing, "", "match rate 98.9% below the threshold 99%", 1.1),
        new Case("rate below, latency over: held, naming both", P99, held, 989, 1000, slowP99, 0, Shadowing, "", "below the threshold 99%; p99 latency 2.1x legacy > 1.2x", 2.1),
        new Case("rate fine, latency over: held by latency", P99, held, 990, 1000, slowP99, 0, Shadowing, "", "match rate 99% meets the threshold but p99 latency 2.1x legacy > 1.2x", 2.1),
        new Case("too few samples: the floor speaks first", P99, held, 50, 50, slowP99, 0, Shadowing, "", "50 of 100 samples needed", 2.1),
        // Confidence + latency.
        new Case("confidence met, latency met: promoted", P99_CONFIDENCE, held, 1000, 1000, fast, 10, Promoting, "Promoted", null, 1.1),
        new Case("confidence met, latency over: held by latency", P99_CONFIDENCE, held, 1000, 1000, slowP99, 0, Shadowing, "", "p99 latency 2.1x legacy > 1.2x", 2.1),
        new Case("confidence not met, latency met: held by the bound", P99_CONFIDENCE, held, 990, 1000, fast, 0, Shadowing, "", "95% lower bound 98.16% < 99%", 1.1),
        // Rollback by latency.
        new Case("p99 2.5x above 2x at weight 10: rolled back", ROLLBACK, at10, 1000, 1000, breach, 0, RolledBack, "RolledBack", "rolled back: p99 latency 2.5x legacy rose above 2x", 2.5),
        new Case("p99 2.5x above 2x when cut over: rolled back", P99_ROLLBACK, cutOver, 1000, 1000, breach, 0, RolledBack, "RolledBack", "p99 latency 2.5x legacy rose above 2x", 2.5),
        new Case("p99 exactly at the rollback ratio: not rolled back", ROLLBACK, at10, 1000, 1000, ratios(1.0, 2.0), 10, Promoting, "", "threshold met", 2.0),
        // The rollback's ratio holds promotion too, or a rolled-back endpoint would be promoted and rolled back forever.
        new Case("rollback only, p99 2.5x above 2x at weight 0: not promoted into a rollback", ROLLBACK, held, 1000, 1000, breach, 0, Shadowing, "", "p99 latency 2.5x legacy > 2x, above which it would be rolled back", 2.5),
        new Case("rollback only, rolled back and still 2.5x: stays at 0", ROLLBACK, was(0, RolledBack, ago(60)), 1000, 1000, breach, 0, RolledBack, "", "above which it would be rolled back", 2.5),
        new Case("rollback only, p99 2.5x but +0.6 ms: promoted (within the floor)", ROLLBACK, held, 1000, 1000, fastButRatio25, 10, Promoting, "Promoted", null, 2.5),
        new Case("rollback only, no latency data: promoted as without it", ROLLBACK, held, 1000, 1000, NO_DATA, 10, Promoting, "Promoted", null, null),
        new Case("p99 2.1x at weight 10 with gate 1.2 and rollback 2x: rolled back", P99_ROLLBACK, at10, 1000, 1000, slowP99, 0, RolledBack, "RolledBack", "2.1x legacy rose above 2x", 2.1),
        new Case("p99 above rollback at weight 0: nothing to roll back, held by the gate", P99_ROLLBACK, held, 1000, 1000, breach, 0, Shadowing, "", "p99 latency 2.5x legacy > 1.2x", 2.5),
        new Case("p99 above rollback with too few samples: not rolled back", ROLLBACK, at10, 50, 50, breach, 10, Promoting, "", "50 of 100 samples needed", 2.5),
        new Case("match rate and latency both regress: the match rate's rollback", P99_ROLLBACK, at10, 900, 1000, breach, 0, RolledBack, "RolledBack", "match rate 90% fell below 99%", 2.5),
        // The floor (minDifference, default 10ms): a ratio counts only where the candidate is also that much slower.
        new Case("fast: 2.5x but +0.6 ms, within the 10ms floor: promoted", P99_ROLLBACK, held, 1000, 1000, fastButRatio25, 10, Promoting, "Promoted", null, 2.5),
        new Case("fast: 2.5x but +0.6 ms at weight 10: no rollback, the hold goes on", P99_ROLLBACK, at10, 1000, 1000, fastButRatio25, 10, Promoting, "", "threshold met", 2.5),
        new Case("fast: 2.5x but +0.6 ms when cut over: no rollback, nothing said about latency", P99_ROLLBACK, cutOver, 1000, 1000, fastButRatio25, 100, CutOver, "", CUT_OVER, 2.5),
        new Case("slow: 2.5x and +60 ms, beyond the floor: held, naming the difference", P99, held, 1000, 1000, slowRatio25, 0, Shadowing, "", "match rate 100% meets the threshold but p99 latency 2.5x legacy > 1.2x (+60 ms)", 2.5),
        new Case("slow: 2.5x and +60 ms at weight 10: rolled back", P99_ROLLBACK, at10, 1000, 1000, slowRatio25, 0, RolledBack, "RolledBack", "rolled back: p99 latency 2.5x legacy rose above 2x (+60 ms)", 2.5),
        new Case("floor 0s: 2.5x at +0.6 ms is held as before the floor", P99_ROLLBACK_NO_FLOOR, held, 1000, 1000, fastButRatio25, 0, Shadowing, "", "p99 latency 2.5x legacy > 1.2x (+0.6 ms)", 2.5),
        new Case("floor 0s: 2.5x at +0.6 ms at weight 10 is rolled back as before the floor", P99_ROLLBACK_NO_FLOOR, at10, 1000, 1000, fastButRatio25, 0, RolledBack, "RolledBack", "p99 latency 2.5x legacy rose above 2x (+0.6 ms)", 2.5),
        new Case("floor 100ms: +60 ms is within it, so no rollback when cut over", P99_ROLLBACK_FLOOR_100MS, cutOver, 1000, 1000, slowRatio25, 100, CutOver, "", CUT_OVER, 2.5),
        new Case("floor 100ms: +60 ms is within it, so promoted", P99_ROLLBACK_FLOOR_100MS, held, 1000, 1000, slowRatio25, 10, Promoting, "Promoted", null, 2.5),
        new Case("floor exactly reached (+10 ms at 10ms): held (at least)", P99, held, 1000, 1000, p99(0.015, 0.005), 0, Shadowing, "", "p99 latency 3x legacy > 1.2x (+10 ms)", 3.0),
        // A cut-over endpoint has no step left to be held from: its message states facts only.
        new Case("cut over, too few samples: counted, not 'needed'", P99, cutOver, 50, 50, slowP99, 100, CutOver, "", CUT_OVER + "; 50 comparisons in the last 30s (minSamples 100)", 2.1),
        new Case("cut over, bound and latency off: both stated, nothing held", P99_CONFIDENCE, cutOver, 990, 1000, slowP99, 100, CutOver, "", CUT_OVER + "; match rate 99% but its 95% lower bound 98.16% < 99%; p99 latency 2.1x legacy (+550 ms)", 2.1),
        new Case("floor 0s, no data: still frozen", P99_ROLLBACK_NO_FLOOR, at10, 1000, 1000, NO_DATA, 10, Promoting, "", "the latency gate is frozen", null));
  }

  static ParallelRunSpec spec(Gate gate) {
    ThresholdSpec threshold = new ThresholdSpec(99.0, 100L, "30s", "60s", gate.confidence());
    if (gate.p50Ratio() != null || gate.p99Ratio() != null || gate.minDifference() != null) {
      threshold.setLatency(new LatencyThresholdSpec(gate.p50Ratio(), gate.p99Ratio()));
      threshold.getLatency().setMinDifference(gate.minDifference());
    }
    ParallelRunSpec spec = Manifests.spec(threshold, STEPS, Manifests.endpoint(EP, HttpMethod.GET, "/orders/{id}"));
    if (gate.p99RollbackAbove() != null) {
      RollbackSpec rollback = new RollbackSpec();
      rollback.setLatency(new LatencyRollbackSpec(gate.p99RollbackAbove()));
      spec.setRollback(rollback);
    }
    return spec;
  }

  static ObservedMetrics observed(long matched, long samples, LatencyRatios latency) {
    return new ObservedMetrics.Available(Map.of(EP, new ComparisonCounts(matched, samples - matched, 0, 0)),
        latency == NO_DATA ? Map.of() : Map.of(EP, latency));
  }

  final CutoverDecider decider = new CutoverDecider();

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyDeclaredGateMustHoldAndMissingLatencyFreezesTheLatencyGate(Case c) {
    ParallelRunStatus previous = new ParallelRunStatus();
    previous.setEndpoints(List.of(c.previous()));

    Decision decision = decider.decide(spec(c.gate()), 1, NONE, observed(c.matched(), c.samples(), c.latency()),
        previous, NOW);

    EndpointStatus e = decision.status().getEndpoints().get(0);
    assertThat(e.getWeight()).as("weight").isEqualTo(c.weight());
    assertThat(e.getState()).as("state").isEqualTo(c.state());
    assertThat(decision.transitions()).extracting(Transition::reason).as("events")
        .containsExactlyElementsOf(c.events().isEmpty() ? List.of() : List.of(c.events().split(",")));
    if (c.message() != null) assertThat(e.getMessage()).as("message").contains(c.message());
    assertThat(e.getLatencyP99Ratio()).as("latencyP99Ratio").isEqualTo(c.shownP99());
    if (CUT_OVER.equals(c.message())) {
      assertThat(e.getMessage()).as("a cut-over endpoint whose gates hold: nothing more to say").isEqualTo(CUT_OVER);
      assertThat(e.getReadySince()).as("every gate holds").isNotNull();
    } else if (c.events().isEmpty() && c.message() != null && !c.message().contains("threshold met")) {
      assertThat(e.getReadySince()).as("a held endpoint's hold restarts").isNull();
    }
  }

  @Test
  void theRollbackEventNamesTheRatioAndTheLimit() {
    ParallelRunStatus previous = new ParallelRunStatus();
    previous.setEndpoints(List.of(was(50, Promoting, ago(30))));
    Decision decision = decider.decide(spec(ROLLBACK), 1, NONE, observed(1000, 1000, ratios(1.0, 3.04)),
        previous, NOW);
    assertThat(decision.transitions()).singleElement().satisfies(t -> {
      assertThat(t.warning()).isTrue();
      assertThat(t.message())
          .isEqualTo("endpoint get-order rolled back from weight 50: p99 latency 3.04x legacy above 2x (+1020 ms)");
    });
  }

  @Test
  void shownRatiosRoundUpSoAShownRatioIsWithinItsGateOnlyIfTheMeasuredOneWas() {
    ParallelRunStatus previous = new ParallelRunStatus();
    previous.setEndpoints(List.of(was(0, Ready, ago(60))));
    EndpointStatus e = decider.decide(spec(P99), 1, NONE, observed(1000, 1000, ratios(0.991, 1.2001)),
        previous, NOW).status().getEndpoints().get(0);
    assertThat(e.getLatencyP99Ratio()).isEqualTo(1.21);
    assertThat(e.getLatencyP50Ratio()).isEqualTo(1.0);
    assertThat(e.getMessage()).contains("p99 latency 1.21x legacy > 1.2x");
    assertThat(e.getWeight()).isZero();
  }

  @Test
  void withoutMetricsTheLastRatiosStayAndNothingMoves() {
    ParallelRunSpec spec = spec(P99_ROLLBACK);
    ParallelRunStatus previous = new ParallelRunStatus();
    previous.setEndpoints(List.of(was(10, Promoting, ago(30))));
    ParallelRunStatus seen = roundTrip(decider.decide(spec, 1, NONE, observed(1000, 1000, fastRatios()), previous, NOW)
        .status());
    EndpointStatus frozen = decider.decide(spec, 1, NONE, DOWN, seen, NOW.plusSeconds(30)).status().getEndpoints().get(0);
    assertThat(frozen.getLatencyP99Ratio()).isEqualTo(1.1);
    assertThat(frozen.getLatencyP50Ratio()).isEqualTo(1.0);
    assertThat(frozen.getWeight()).isEqualTo(10);
  }

  private static LatencyRatios fastRatios() {
    return ratios(1.0, 1.1);
  }
}
