package io.parallelrun.operator.decide;

import static io.parallelrun.api.EndpointState.AwaitingApproval;
import static io.parallelrun.api.EndpointState.CutOver;
import static io.parallelrun.api.EndpointState.NotMirrored;
import static io.parallelrun.api.EndpointState.Promoting;
import static io.parallelrun.api.EndpointState.Ready;
import static io.parallelrun.api.EndpointState.RolledBack;
import static io.parallelrun.api.EndpointState.Shadowing;
import static org.assertj.core.api.Assertions.assertThat;

import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.api.RollbackSpec;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.support.Manifests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CutoverDeciderTest extends DecisionFixtures {
  final CutoverDecider decider = new CutoverDecider();

  /** One row of the table: the situation, then what the endpoint must look like afterwards. */
  record Case(String name, ParallelRunSpec spec, EndpointStatus previous, Map<String, String> annotations,
      ObservedMetrics observed, int weight, EndpointState state, Instant readySince, List<String> events) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, ParallelRunSpec spec, EndpointStatus previous, Map<String, String> annotations,
      ObservedMetrics observed, int weight, EndpointState state, Instant readySince, String... events) {
    return new Case(name, spec, previous, annotations, observed, weight, state, readySince, List.of(events));
  }

  static Stream<Case> transitions() {
    ParallelRunSpec paused = Manifests.with(spec(), s -> s.setPaused(true));
    ParallelRunSpec lenientRollback = Manifests.with(spec(), s -> s.setRollback(new RollbackSpec(95.0)));
    ParallelRunSpec manual = spec(e -> e.setPromotion(io.parallelrun.api.Promotion.Manual));
    ParallelRunSpec notMirrored = spec(e -> e.setMirror(false));
    ParallelRunSpec oneFlip = Manifests.spec(THRESHOLD, null, Manifests.endpoint(EP, HttpMethod.GET, "/orders/{id}"));
    return Stream.of(
        // Shadowing → Ready: minSamples and matchRate, both inclusive.
        c("new endpoint without samples shadows", spec(), null, NONE, counts(0, 0, 0, 0), 0, Shadowing, null),
        c("99 samples, one under minSamples, all matched: still shadowing", spec(), null, NONE, counts(99, 0, 0, 0), 0, Shadowing, null),
        c("exactly minSamples at exactly 99%: ready", spec(), null, NONE, counts(99, 1, 0, 0), 0, Ready, NOW),
        c("exactly at threshold over 1000 samples: ready", spec(), was(0, Shadowing, null), NONE, rate(990), 0, Ready, NOW),
        c("just under threshold (98.9%): shadowing", spec(), was(0, Shadowing, null), NONE, rate(989), 0, Shadowing, null),
        c("failed comparisons count against the match rate", spec(), null, NONE, counts(990, 0, 11, 0), 0, Shadowing, null),
        c("skipped comparisons are not samples", spec(), null, NONE, counts(99, 0, 0, 5000), 0, Shadowing, null),
        c("skipped comparisons do not dilute the rate", spec(), null, NONE, counts(100, 0, 0, 5000), 0, Ready, NOW),
        // The hold.
        c("ready, hold one second short: keeps holding", spec(), was(0, Ready, ago(59)), NONE, GOOD, 0, Ready, ago(59)),
        c("ready, hold exactly over: first step", spec(), was(0, Ready, ago(60)), NONE, GOOD, 10, Promoting, NOW, "Promoted"),
        c("ready, hold interrupted by a dip: back to shadowing", spec(), was(0, Ready, ago(59)), NONE, BAD, 0, Shadowing, null),
        c("ready, hold interrupted by too few samples", spec(), was(0, Ready, ago(120)), NONE, counts(50, 0, 0, 0), 0, Shadowing, null),
        c("default steps [100]: one flip to cutover", oneFlip, was(0, Ready, ago(60)), NONE, GOOD, 100, CutOver, NOW, "CutOver"),
        // Steps, each held again.
        c("promoting at 10, hold short: stays at 10", spec(), was(10, Promoting, ago(30)), NONE, GOOD, 10, Promoting, ago(30)),
        c("promoting at 10, hold over: 50", spec(), was(10, Promoting, ago(60)), NONE, GOOD, 50, Promoting, NOW, "Promoted"),
        c("promoting at 50, hold over: cutover at 100", spec(), was(50, Promoting, ago(61)), NONE, GOOD, 100, CutOver, NOW, "CutOver"),
        c("promoting, not enough samples: stays, hold restarts, no rollback", spec(), was(10, Promoting, ago(50)), NONE, counts(10, 10, 0, 0), 10, Promoting, null),
        c("weight not on the (edited) steps: moves to the next step above", spec(), was(30, Promoting, ago(60)), NONE, GOOD, 50, Promoting, NOW, "Promoted"),
        c("cut over and still matching: stays cut over", spec(), was(100, CutOver, ago(600)), NONE, GOOD, 100, CutOver, ago(600)),
        // Rollback.
        c("promoting, match rate below rollback threshold: rolled back to 0", spec(), was(10, Promoting, ago(30)), NONE, BAD, 0, RolledBack, null, "RolledBack"),
        c("rollback after cutover: legacy still compared, regression seen", spec(), was(100, CutOver, ago(600)), NONE, rate(985), 0, RolledBack, null, "RolledBack"),
        c("between rollbackBelow and matchRate: stays, hold interrupted", lenientRollback, was(10, Promoting, ago(30)), NONE, rate(970), 10, Promoting, null),
        c("under rollbackBelow with a lenient rollback: rolled back", lenientRollback, was(10, Promoting, ago(30)), NONE, rate(940), 0, RolledBack, null, "RolledBack"),
        c("at weight 0 a bad rate is no rollback", spec(), was(0, Shadowing, null), NONE, BAD, 0, Shadowing, null),
        c("rolled back and still bad: stays rolled back", spec(), was(0, RolledBack, null), NONE, BAD, 0, RolledBack, null),
        c("rolled back, threshold met again: starts over as ready", spec(), was(0, RolledBack, null), NONE, GOOD, 0, Ready, NOW),
        c("rollback annotation on a cut-over endpoint", spec(), was(100, CutOver, ago(600)), ROLLBACK, GOOD, 0, RolledBack, null, "RolledBack"),
        c("rollback annotation '*' on a promoting endpoint", spec(), was(50, Promoting, ago(10)), Map.of(ParallelRun.ROLLBACK_ANNOTATION, "*"), GOOD, 0, RolledBack, null, "RolledBack"),
        c("rollback annotation still there: no second event", spec(), was(0, RolledBack, null), ROLLBACK, GOOD, 0, RolledBack, null),
        c("rollback annotation works while paused", paused, was(50, Promoting, ago(10)), ROLLBACK, GOOD, 0, RolledBack, null, "RolledBack"),
        c("rollback annotation works without metrics", spec(), was(50, Promoting, ago(10)), ROLLBACK, DOWN, 0, RolledBack, null, "RolledBack"),
        // Manual promotion.
        c("manual, hold over, not approved: awaiting approval", manual, was(0, Ready, ago(60)), NONE, GOOD, 0, AwaitingApproval, ago(60), "AwaitingApproval"),
        c("manual, still awaiting: no second event", manual, was(0, AwaitingApproval, ago(90)), NONE, GOOD, 0, AwaitingApproval, ago(90)),
        c("manual, approved: first step", manual, was(0, AwaitingApproval, ago(90)), APPROVED, GOOD, 10, Promoting, NOW, "Promoted"),
        c("manual, approved among others with blanks", manual, was(0, AwaitingApproval, ago(90)), Map.of(ParallelRun.APPROVE_ANNOTATION, "other , get-order,"), GOOD, 10, Promoting, NOW, "Promoted"),
        c("manual, approved but hold not over: keeps holding", manual, was(0, Ready, ago(10)), APPROVED, GOOD, 0, Ready, ago(10)),
        c("manual, awaiting approval and the rate dips: back to shadowing", manual, was(0, AwaitingApproval, ago(90)), NONE, BAD, 0, Shadowing, null),
        c("manual, another endpoint approved: still waiting", manual, was(0, AwaitingApproval, ago(90)), Map.of(ParallelRun.APPROVE_ANNOTATION, "get-orders"), GOOD, 0, AwaitingApproval, ago(90)),
        // Pause.
        c("paused, hold over: frozen, hold restarts on resume", paused, was(0, Ready, ago(600)), NONE, GOOD, 0, Ready, null),
        c("paused, regression at 50: frozen, no rollback", paused, was(50, Promoting, ago(10)), NONE, BAD, 50, Promoting, null),
        c("paused, approved manual endpoint: frozen", Manifests.with(spec(e -> e.setPromotion(io.parallelrun.api.Promotion.Manual)), s -> s.setPaused(true)), was(0, AwaitingApproval, ago(600)), APPROVED, GOOD, 0, AwaitingApproval, null),
        // Missing metrics.
        c("metrics down, hold over: nothing promoted", spec(), was(0, Ready, ago(600)), NONE, DOWN, 0, Ready, null),
        c("metrics down at 50: nothing rolled back", spec(), was(50, Promoting, ago(10)), NONE, DOWN, 50, Promoting, null),
        c("metrics empty answer: frozen", spec(), was(10, Promoting, ago(600)), NONE, ObservedMetrics.unavailable("NoData", "no series"), 10, Promoting, null),
        // mirror: false moves only by approval.
        c("not mirrored, not approved: stays at 0", notMirrored, null, NONE, counts(0, 0, 0, 0), 0, NotMirrored, null),
        c("not mirrored, not approved, even with a perfect rate", notMirrored, was(0, NotMirrored, null), NONE, GOOD, 0, NotMirrored, null),
        c("not mirrored, approved: first step at once", notMirrored, was(0, NotMirrored, null), APPROVED, counts(0, 0, 0, 0), 10, Promoting, NOW, "Promoted"),
        c("not mirrored, approved, step held: stays", notMirrored, was(10, Promoting, ago(30)), APPROVED, counts(0, 0, 0, 0), 10, Promoting, ago(30)),
        c("not mirrored, approved, hold over: next step", notMirrored, was(10, Promoting, ago(60)), APPROVED, counts(0, 0, 0, 0), 50, Promoting, NOW, "Promoted"),
        c("not mirrored, approval withdrawn at 50: stays at 50", notMirrored, was(50, Promoting, ago(600)), NONE, counts(0, 0, 0, 0), 50, Promoting, null),
        // Clock steps.
        c("clock stepped back behind readySince: hold restarts now", spec(), was(0, Ready, NOW.plusSeconds(120)), NONE, GOOD, 0, Ready, NOW),
        c("clock stepped forward past the hold: the hold counts wall time", spec(), was(0, Ready, ago(3600)), NONE, GOOD, 10, Promoting, NOW, "Promoted"),
        c("unreadable readySince: hold restarts, never skipped", spec(), withReadySince(was(0, Ready, null), "yesterday"), NONE, GOOD, 0, Ready, NOW));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transitions")
  void decidesEachEndpoint(Case c) {
    ParallelRunStatus previous = new ParallelRunStatus();
    if (c.previous() != null) previous.setEndpoints(List.of(c.previous()));
    if (c.previous() != null) previous.setLastAnalysisTime(Times.format(ago(1)));

    Decision decision = decider.decide(c.spec(), 1, c.annotations(), c.observed(), previous, NOW);

    EndpointStatus e = decision.status().getEndpoints().get(0);
    assertThat(e.getWeight()).as("weight").isEqualTo(c.weight());
    assertThat(e.getState()).as("state").isEqualTo(c.state());
    assertThat(e.getReadySince()).as("readySince").isEqualTo(c.readySince() == null ? null : Times.format(c.readySince()));
    assertThat(decision.transitions()).extracting(Transition::reason).as("events").containsExactlyElementsOf(c.events());
    assertThat(e.getMessage()).isNotBlank();
  }

  @Test
  void aWholeRunFromShadowToCutoverTakesEveryStepAndHoldsEach() {
    ParallelRunSpec spec = spec();
    ParallelRunStatus status = null;
    Instant t = NOW;
    int[] weights = new int[16];
    for (int i = 0; i < weights.length; i++, t = t.plusSeconds(30)) {
      // Round-trip through JSON each time, as through the API server: all the state must survive it.
      status = roundTrip(decider.decide(spec, 1, NONE, GOOD, status, t).status());
      weights[i] = status.getEndpoints().get(0).getWeight();
    }
    // ready at t0; 60s hold → 10 at t2, → 50 at t4, → 100 at t6.
    assertThat(weights).startsWith(0, 0, 10, 10, 50, 50, 100, 100);
    assertThat(status.getPhase()).isEqualTo(Phase.Completed);
    assertThat(status.getCutOver()).isEqualTo("1/1");
  }

  @Test
  void aRestartedOperatorResumesMidHoldFromStatusAlone() {
    ParallelRunSpec spec = spec();
    ParallelRunStatus beforeCrash = roundTrip(decider.decide(spec, 1, NONE, GOOD, null, NOW).status());
    // A new decider (a new process) sees only the status: the hold neither restarts nor is skipped.
    CutoverDecider afterRestart = new CutoverDecider();
    Decision early = afterRestart.decide(spec, 1, NONE, GOOD, beforeCrash, NOW.plusSeconds(59));
    assertThat(early.status().getEndpoints().get(0).getWeight()).isZero();
    Decision due = afterRestart.decide(spec, 1, NONE, GOOD, beforeCrash, NOW.plusSeconds(60));
    assertThat(due.status().getEndpoints().get(0).getWeight()).isEqualTo(10);
    // And the step is not repeated when the same status is decided on again.
    ParallelRunStatus stepped = roundTrip(due.status());
    Decision again = afterRestart.decide(spec, 1, NONE, GOOD, stepped, NOW.plusSeconds(61));
    assertThat(again.status().getEndpoints().get(0).getWeight()).isEqualTo(10);
    assertThat(again.transitions()).isEmpty();
  }

  @Test
  void nothingChangedMeansNoPatchUntilTheHeartbeat() {
    ParallelRunSpec spec = spec();
    ParallelRunStatus first = roundTrip(decider.decide(spec, 1, NONE, BAD, null, NOW).status());
    Decision same = decider.decide(spec, 1, NONE, BAD, first, NOW.plusSeconds(30));
    assertThat(same.changed()).isFalse();
    assertThat(same.status().getLastAnalysisTime()).isEqualTo(first.getLastAnalysisTime());
    Decision heartbeat = decider.decide(spec, 1, NONE, BAD, first, NOW.plus(CutoverDecider.ANALYSIS_HEARTBEAT));
    assertThat(heartbeat.changed()).isTrue();
    assertThat(heartbeat.status().getLastAnalysisTime()).isEqualTo(Times.format(NOW.plus(CutoverDecider.ANALYSIS_HEARTBEAT)));
  }

  @Test
  void shownMatchRateIsRoundedDownSoItNeverShowsAThresholdThatWasMissed() {
    ParallelRunStatus status = decider.decide(spec(), 1, NONE, counts(98996, 1004, 0, 0), null, NOW).status();
    assertThat(status.getEndpoints().get(0).getMatchRate()).isEqualTo(98.99);
    assertThat(status.getEndpoints().get(0).getState()).isEqualTo(Shadowing);
  }

}
