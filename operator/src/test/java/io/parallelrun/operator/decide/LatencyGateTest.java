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
 * on latency); a p99 ratio above rollback.latency.p99RatioAbove sends an endpoint with weight back to 0. Without
 * latency settings the latency data changes nothing.
 */
class LatencyGateTest extends DecisionFixtures {
  /** No gate, no rollback: the spec says nothing about latency. */
  static final Gate NO_LATENCY = new Gate(null, null, null, null);
  static final Gate P99 = new Gate(null, 1.2, null, null);
  static final Gate P50_P99 = new Gate(1.1, 1.2, null, null);
  static final Gate ROLLBACK = new Gate(null, null, 2.0, null);
  static final Gate P99_ROLLBACK = new Gate(null, 1.2, 2.0, null);
  static final Gate P99_CONFIDENCE = new Gate(null, 1.2, null, 95.0);
  /** A side without data: the ratios are unknown. */
  static final LatencyRatios NO_DATA = LatencyRatios.NONE;

  record Gate(Double p50Ratio, Double p99Ratio, Double p99RollbackAbove, Double confidence) {}

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
    LatencyRatios fast = new LatencyRatios(1.0, 1.1);
    LatencyRatios slowP99 = new LatencyRatios(1.0, 2.1);
    LatencyRatios slowP50 = new LatencyRatios(1.3, 1.1);
    LatencyRatios breach = new LatencyRatios(1.5, 2.5);
    return Stream.of(
        // No latency config: today's decisions, whatever the latencies, and no ratios in status.
        new Case("no config, fast: promoted", NO_LATENCY, held, 1000, 1000, fast, 10, Promoting, "Promoted", null, null),
        new Case("no config, slow: promoted as today", NO_LATENCY, held, 1000, 1000, breach, 10, Promoting, "Promoted", null, null),
        new Case("no config, no latency data: promoted as today", NO_LATENCY, held, 1000, 1000, NO_DATA, 10, Promoting, "Promoted", null, null),
        new Case("no config, slow at weight 10: no rollback", NO_LATENCY, at10, 1000, 1000, breach, 10, Promoting, "", "threshold met", null),
        // Latency gate only (the match rate is perfect).
        new Case("p99 1.1x within 1.2x: promoted", P99, held, 1000, 1000, fast, 10, Promoting, "Promoted", null, 1.1),
        new Case("p99 exactly at its gate: promoted (at most)", P99, held, 1000, 1000, new LatencyRatios(1.0, 1.2), 10, Promoting, "Promoted", null, 1.2),
        new Case("p99 2.1x over 1.2x: held, naming p99", P99, held, 1000, 1000, slowP99, 0, Shadowing, "", "p99 latency 2.1x legacy > 1.2x", 2.1),
        new Case("p50 1.3x over 1.1x: held, naming p50", P50_P99, held, 1000, 1000, slowP50, 0, Shadowing, "", "p50 latency 1.3x legacy > 1.1x", 1.1),
        new Case("p99 over at weight 10 without rollback: held at 10", P99, at10, 1000, 1000, slowP99, 10, Promoting, "", "p99 latency 2.1x legacy > 1.2x", 2.1),
        new Case("p99 over when cut over without rollback: stays cut over", P99, cutOver, 1000, 1000, slowP99, 100, CutOver, "", "p99 latency 2.1x legacy > 1.2x", 2.1),
        // Missing latency data: frozen, never a pass, never a fail.
        new Case("gate, no data: not promoted", P99, held, 1000, 1000, NO_DATA, 0, Shadowing, "", "no p99 latency data for both sides in the last 30s", null),
        new Case("gate, no p99 (only p50) data: not promoted", P99, held, 1000, 1000, new LatencyRatios(1.0, null), 0, Shadowing, "", "no p99 latency data", null),
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
        new Case("p99 exactly at the rollback ratio: not rolled back", ROLLBACK, at10, 1000, 1000, new LatencyRatios(1.0, 2.0), 10, Promoting, "", "threshold met", 2.0),
        new Case("p99 2.1x at weight 10 with gate 1.2 and rollback 2x: rolled back", P99_ROLLBACK, at10, 1000, 1000, slowP99, 0, RolledBack, "RolledBack", "2.1x legacy rose above 2x", 2.1),
        new Case("p99 above rollback at weight 0: nothing to roll back, held by the gate", P99_ROLLBACK, held, 1000, 1000, breach, 0, Shadowing, "", "p99 latency 2.5x legacy > 1.2x", 2.5),
        new Case("p99 above rollback with too few samples: not rolled back", ROLLBACK, at10, 50, 50, breach, 10, Promoting, "", "50 of 100 samples needed", 2.5),
        new Case("match rate and latency both regress: the match rate's rollback", P99_ROLLBACK, at10, 900, 1000, breach, 0, RolledBack, "RolledBack", "match rate 90% fell below 99%", 2.5));
  }

  static ParallelRunSpec spec(Gate gate) {
    ThresholdSpec threshold = new ThresholdSpec(99.0, 100L, "30s", "60s", gate.confidence());
    if (gate.p50Ratio() != null || gate.p99Ratio() != null) {
      threshold.setLatency(new LatencyThresholdSpec(gate.p50Ratio(), gate.p99Ratio()));
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
    if (c.events().isEmpty() && c.message() != null && !c.message().contains("threshold met")) {
      assertThat(e.getReadySince()).as("a held endpoint's hold restarts").isNull();
    }
  }

  @Test
  void theRollbackEventNamesTheRatioAndTheLimit() {
    ParallelRunStatus previous = new ParallelRunStatus();
    previous.setEndpoints(List.of(was(50, Promoting, ago(30))));
    Decision decision = decider.decide(spec(ROLLBACK), 1, NONE, observed(1000, 1000, new LatencyRatios(1.0, 3.04)),
        previous, NOW);
    assertThat(decision.transitions()).singleElement().satisfies(t -> {
      assertThat(t.warning()).isTrue();
      assertThat(t.message()).isEqualTo("endpoint get-order rolled back from weight 50: p99 latency 3.04x legacy above 2x");
    });
  }

  @Test
  void shownRatiosRoundUpSoAShownRatioIsWithinItsGateOnlyIfTheMeasuredOneWas() {
    ParallelRunStatus previous = new ParallelRunStatus();
    previous.setEndpoints(List.of(was(0, Ready, ago(60))));
    EndpointStatus e = decider.decide(spec(P99), 1, NONE, observed(1000, 1000, new LatencyRatios(0.991, 1.2001)),
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
    return new LatencyRatios(1.0, 1.1);
  }
}
