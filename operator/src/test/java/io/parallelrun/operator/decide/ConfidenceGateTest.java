package io.parallelrun.operator.decide;

import static io.parallelrun.api.EndpointState.CutOver;
import static io.parallelrun.api.EndpointState.Promoting;
import static io.parallelrun.api.EndpointState.RolledBack;
import static io.parallelrun.api.EndpointState.Shadowing;
import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.RollbackSpec;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.support.Manifests;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * threshold.confidence: promotion needs the lower bound of the match rate's Wilson interval at or above matchRate,
 * rollback its upper bound below rollback.matchRateBelow; without a confidence, the rate alone decides, as before.
 * Every row: confidence off or on, a busy (1000 samples) or quiet (10-20) endpoint, due to promote, hold or roll back.
 */
class ConfidenceGateTest extends DecisionFixtures {
  static final Double OFF = null;
  static final Double ON = 95.0;

  final CutoverDecider decider = new CutoverDecider();

  /**
   * @param matchRate the threshold; minSamples 100 for a busy endpoint (samples ≥ 100), 10 for a quiet one
   * @param rollbackBelow null for the default (matchRate)
   * @param message a part of the endpoint's message, null for no check
   * @param lower the status' matchRateLower (and upper its matchRateUpper), null when unset
   */
  record Case(String name, Double confidence, double matchRate, Double rollbackBelow, EndpointStatus previous,
      long matched, long samples, int weight, EndpointState state, List<String> events, String message,
      Double lower, Double upper) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, Double confidence, double matchRate, Double rollbackBelow, EndpointStatus previous,
      long matched, long samples, int weight, EndpointState state, String events, String message, Double lower,
      Double upper) {
    return new Case(name, confidence, matchRate, rollbackBelow, previous, matched, samples, weight, state,
        events.isEmpty() ? List.of() : List.of(events.split(",")), message, lower, upper);
  }

  static Stream<Case> cases() {
    EndpointStatus heldLongEnough = was(0, EndpointState.Ready, ago(60));
    EndpointStatus at10 = was(10, Promoting, ago(30));
    return Stream.of(
        // Confidence off: exactly today's decisions, and no bounds in status.
        c("off, busy, 99.0% of 1000: promoted", OFF, 99, null, heldLongEnough, 990, 1000, 10, Promoting, "Promoted", null, null, null),
        c("off, quiet, 20 of 20: promoted", OFF, 99, null, heldLongEnough, 20, 20, 10, Promoting, "Promoted", null, null, null),
        c("off, busy, 98.9%: held", OFF, 99, null, heldLongEnough, 989, 1000, 0, Shadowing, "", "match rate 98.9% below the threshold 99%", null, null),
        c("off, busy, 98.5% at weight 10: rolled back", OFF, 99, null, at10, 985, 1000, 0, RolledBack, "RolledBack", "rolled back: match rate 98.5% fell below 99%;", null, null),
        c("off, quiet, 3 of 10 failed at weight 10: rolled back (the flap)", OFF, 99, 80.0, at10, 7, 10, 0, RolledBack, "RolledBack", "fell below 80%", null, null),
        // Confidence on, promotion.
        c("on, busy, 1000 of 1000: lower 99.61 >= 99, promoted", ON, 99, null, heldLongEnough, 1000, 1000, 10, Promoting, "Promoted", null, 99.61, 100.0),
        c("on, busy, 99.0% of 1000: lower 98.16 < 99, held", ON, 99, null, heldLongEnough, 990, 1000, 0, Shadowing, "", "match rate 99% but its 95% lower bound 98.16% < 99%", 98.16, 99.45),
        c("on, quiet, 20 of 20: lower 83.88 < 99, held", ON, 99, null, heldLongEnough, 20, 20, 0, Shadowing, "", "match rate 100% but its 95% lower bound 83.88% < 99%", 83.88, 100.0),
        c("on, quiet, 20 of 20 against 80%: lower 83.88 >= 80, promoted", ON, 80, null, heldLongEnough, 20, 20, 10, Promoting, "Promoted", null, 83.88, 100.0),
        c("on, busy, 98.9%: below the rate already, held as without", ON, 99, null, heldLongEnough, 989, 1000, 0, Shadowing, "", "match rate 98.9% below the threshold 99%", 98.04, 99.38),
        c("on, quiet, 9 of 9 under minSamples 10: the floor still holds", ON, 50, null, heldLongEnough, 9, 9, 0, Shadowing, "", "9 of 10 samples needed", 70.08, 100.0),
        // Confidence on, rollback.
        c("on, busy, 98.5% at weight 10: upper 99.08 >= 99, not rolled back", ON, 99, null, at10, 985, 1000, 10, Promoting, "", "not rolled back: its 95% upper bound 99.08% is not below 99%", 97.53, 99.08),
        c("on, busy, 90% at weight 10: upper 91.7 < 99, rolled back", ON, 99, null, at10, 900, 1000, 0, RolledBack, "RolledBack", "fell below 99%, and so did its 95% upper bound 91.7%", 87.98, 91.7),
        c("on, quiet, 3 of 10 failed at weight 10: upper 89.22 >= 80, no flap", ON, 99, 80.0, at10, 7, 10, 10, Promoting, "", "not rolled back: its 95% upper bound 89.22% is not below 80%", 39.67, 89.22),
        c("on, quiet, 8 of 10 failed at weight 10: upper 50.98 < 80, rolled back", ON, 99, 80.0, at10, 2, 10, 0, RolledBack, "RolledBack", "and so did its 95% upper bound 50.98%", 5.66, 50.98),
        c("on, cut over, 98.5% of 1000: not rolled back, stays cut over", ON, 99, null, was(100, CutOver, ago(600)), 985, 1000, 100, CutOver, "", "not rolled back", 97.53, 99.08),
        c("on, at weight 0 a bad rate is no rollback", ON, 99, null, was(0, Shadowing, null), 2, 10, 0, Shadowing, "", "below the threshold", 5.66, 50.98));
  }

  static ParallelRunSpec spec(Double confidence, double matchRate, long minSamples, Double rollbackBelow) {
    ParallelRunSpec spec = Manifests.spec(new ThresholdSpec(matchRate, minSamples, "30s", "60s", confidence), STEPS,
        Manifests.endpoint(EP, HttpMethod.GET, "/orders/{id}"));
    if (rollbackBelow != null) spec.setRollback(new RollbackSpec(rollbackBelow));
    return spec;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesOnTheIntervalOnlyWithAConfidence(Case c) {
    ParallelRunStatus previous = new ParallelRunStatus();
    previous.setEndpoints(List.of(c.previous()));
    ParallelRunSpec spec = spec(c.confidence(), c.matchRate(), c.samples() >= 100 ? 100 : 10, c.rollbackBelow());

    Decision decision = decider.decide(spec, 1, NONE, counts(c.matched(), c.samples() - c.matched(), 0, 0), previous, NOW);

    EndpointStatus e = decision.status().getEndpoints().get(0);
    assertThat(e.getWeight()).as("weight").isEqualTo(c.weight());
    assertThat(e.getState()).as("state").isEqualTo(c.state());
    assertThat(decision.transitions()).extracting(Transition::reason).as("events").containsExactlyElementsOf(c.events());
    if (c.message() != null) assertThat(e.getMessage()).as("message").contains(c.message());
    assertThat(e.getMatchRateLower()).as("matchRateLower").isEqualTo(c.lower());
    assertThat(e.getMatchRateUpper()).as("matchRateUpper").isEqualTo(c.upper());
  }

  @Test
  void aQuietEndpointWithThreeFailuresInTenDoesNotFlapRoundAfterRound() {
    ParallelRunSpec spec = spec(ON, 99, 10, 80.0);
    ParallelRunStatus status = new ParallelRunStatus();
    status.setEndpoints(List.of(was(10, Promoting, ago(30))));
    for (int round = 0; round < 10; round++) {
      // 7, 8, 7, 8 ... of 10: a rate that dips under 80% as often as not.
      long matched = round % 2 == 0 ? 7 : 8;
      status = roundTrip(decider.decide(spec, 1, NONE, counts(matched, 10 - matched, 0, 0), status,
          NOW.plusSeconds(30L * round)).status());
      assertThat(status.getEndpoints().get(0).getWeight()).as("weight in round %d", round).isEqualTo(10);
    }
  }

  @Test
  void withoutMetricsTheLastBoundsStayNextToTheLastRate() {
    ParallelRunSpec spec = spec(ON, 99, 100, null);
    ParallelRunStatus seen = roundTrip(decider.decide(spec, 1, NONE, counts(990, 10, 0, 0), null, NOW).status());
    EndpointStatus frozen = decider.decide(spec, 1, NONE, DOWN, seen, NOW.plusSeconds(30)).status().getEndpoints().get(0);
    assertThat(frozen.getMatchRate()).isEqualTo(99.0);
    assertThat(frozen.getMatchRateLower()).isEqualTo(98.16);
    assertThat(frozen.getMatchRateUpper()).isEqualTo(99.45);

    EndpointStatus noSamples = decider.decide(spec, 1, NONE, counts(0, 0, 0, 0), seen, NOW.plusSeconds(60))
        .status().getEndpoints().get(0);
    assertThat(noSamples.getMatchRateLower()).as("no interval without samples").isNull();
    assertThat(noSamples.getMatchRateUpper()).isNull();
  }
}
