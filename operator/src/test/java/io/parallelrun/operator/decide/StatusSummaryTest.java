package io.parallelrun.operator.decide;

import static io.parallelrun.api.EndpointState.CutOver;
import static io.parallelrun.api.EndpointState.NotMirrored;
import static io.parallelrun.api.EndpointState.Promoting;
import static io.parallelrun.api.EndpointState.Ready;
import static io.parallelrun.api.EndpointState.Shadowing;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.operator.observe.ComparisonCounts;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.policy.PolicyViolation;
import io.parallelrun.operator.support.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run's phase, cutOver count and conditions, derived from the decided endpoints and the observation. */
class StatusSummaryTest extends DecisionFixtures {
  final CutoverDecider decider = new CutoverDecider();

  @Test
  void conditionsCarryObservedGenerationAndMoveTheirTransitionTimeOnlyOnAFlip() {
    ParallelRunSpec spec = spec();
    ParallelRunStatus up = roundTrip(decider.decide(spec, 3, NONE, GOOD, null, NOW).status());
    assertThat(condition(up, ParallelRunStatus.METRICS_AVAILABLE).getStatus()).isEqualTo("True");
    assertThat(up.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));

    ParallelRunStatus down = roundTrip(decider.decide(spec, 3, NONE, DOWN, up, NOW.plusSeconds(10)).status());
    Condition metrics = condition(down, ParallelRunStatus.METRICS_AVAILABLE);
    assertThat(metrics.getStatus()).isEqualTo("False");
    assertThat(metrics.getReason()).isEqualTo("QueryFailed");
    assertThat(metrics.getMessage()).contains("connection refused");
    assertThat(metrics.getLastTransitionTime()).isEqualTo(Times.format(NOW.plusSeconds(10)));
    assertThat(down.getPhase()).isEqualTo(Phase.Degraded);

    ParallelRunStatus stillDown = roundTrip(decider.decide(spec, 3, NONE,
        ObservedMetrics.unavailable("Timeout", "slow"), down, NOW.plusSeconds(20)).status());
    Condition stillMetrics = condition(stillDown, ParallelRunStatus.METRICS_AVAILABLE);
    assertThat(stillMetrics.getReason()).isEqualTo("Timeout");
    assertThat(stillMetrics.getLastTransitionTime()).as("same status, no transition").isEqualTo(Times.format(NOW.plusSeconds(10)));
    assertThat(stillDown.getLastAnalysisTime()).as("last successful analysis").isEqualTo(up.getLastAnalysisTime());
  }

  @Test
  void beforeAnyMetricsTheRunIsInitializingNotDegraded() {
    ParallelRunStatus status = decider.decide(spec(), 1, NONE, ObservedMetrics.unavailable("NoData", "none"), null, NOW).status();
    assertThat(status.getPhase()).isEqualTo(Phase.Initializing);
    assertThat(condition(status, ParallelRunStatus.METRICS_AVAILABLE).getStatus()).isEqualTo("False");
    assertThat(condition(status, ParallelRunStatus.READY).getReason()).isEqualTo(ConditionReasons.INITIALIZING);
  }

  @Test
  void endpointsWithoutSamplesAreNamedInTheTrafficCondition() {
    ParallelRunSpec spec = Manifests.spec(THRESHOLD, STEPS,
        Manifests.endpoint("busy", HttpMethod.GET, "/a"),
        Manifests.endpoint("idle", HttpMethod.GET, "/b"),
        Manifests.endpoint("write", HttpMethod.POST, "/c"));
    ParallelRunStatus status = decider.decide(spec, 1, NONE,
        ObservedMetrics.available(Map.of("busy", new ComparisonCounts(500, 0, 0, 0))), null, NOW).status();
    Condition traffic = condition(status, CutoverDecider.TRAFFIC_OBSERVED);
    assertThat(traffic.getStatus()).isEqualTo("False");
    assertThat(traffic.getReason()).isEqualTo(ConditionReasons.NO_SAMPLES);
    assertThat(traffic.getMessage()).contains("idle").doesNotContain("busy").doesNotContain("write");
    assertThat(status.getEndpoints()).extracting(EndpointStatus::getState).containsExactly(Ready, Shadowing, NotMirrored);
  }

  @Test
  void phaseAndCutOverSummarizeTheEndpoints() {
    ParallelRunSpec spec = Manifests.spec(THRESHOLD, STEPS,
        Manifests.endpoint("a", HttpMethod.GET, "/a"), Manifests.endpoint("b", HttpMethod.GET, "/b"));
    ParallelRunStatus previous = new ParallelRunStatus();
    EndpointStatus a = was(100, CutOver, ago(600));
    a.setName("a");
    EndpointStatus b = was(10, Promoting, ago(10));
    b.setName("b");
    previous.setEndpoints(List.of(a, b));
    ObservedMetrics good = ObservedMetrics.available(Map.of(
        "a", new ComparisonCounts(500, 0, 0, 0), "b", new ComparisonCounts(500, 0, 0, 0)));
    ParallelRunStatus status = decider.decide(spec, 1, NONE, good, previous, NOW).status();
    assertThat(status.getCutOver()).isEqualTo("1/2");
    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
    assertThat(status.getLegacy()).isEqualTo("legacy:8080");
    assertThat(status.getEndpoints().get(0).getLastTransitionTime()).as("unchanged endpoint keeps its time")
        .isEqualTo("2026-01-01T00:00:00Z");
    assertThat(status.getEndpoints().get(0).getMatchRate()).isEqualTo(100.0);
    assertThat(status.getEndpoints().get(0).getSamples()).isEqualTo(500L);

    ParallelRunStatus rolled = decider.decide(spec, 1, Map.of(ParallelRun.ROLLBACK_ANNOTATION, "b"), good, previous, NOW).status();
    assertThat(rolled.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(rolled, ParallelRunStatus.READY).getReason()).isEqualTo(ConditionReasons.ROLLED_BACK);
    assertThat(rolled.getEndpoints().get(1).getLastTransitionTime()).isEqualTo(Times.format(NOW));

    ParallelRunStatus paused = decider.decide(Manifests.with(spec, s -> s.setPaused(true)), 1, NONE, good, previous, NOW).status();
    assertThat(paused.getPhase()).isEqualTo(Phase.Paused);
    assertThat(condition(paused, ParallelRunStatus.PROGRESSING).getReason()).isEqualTo(ConditionReasons.PAUSED);
  }

  @Test
  void proxyObjectsThatCannotBeAppliedShowInReadyWhileDecisionsGoOn() {
    ParallelRunStatus status = decider.decide(spec(), 1, NONE, GOOD, null, NOW,
        java.util.Optional.of("Service orders-proxy: failed to allocate a serviceIP: range is full")).status();
    Condition ready = condition(status, ParallelRunStatus.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(ConditionReasons.PROXY_NOT_APPLIED);
    assertThat(ready.getMessage()).contains("range is full");
    assertThat(status.getEndpoints().get(0).getState()).isEqualTo(Ready);
  }

  @Test
  void anInvalidSpecFreezesEveryEndpointAndReadySaysWhichField() {
    ParallelRunStatus before = decider.decide(spec(), 1, NONE, GOOD, null, NOW).status();
    before.getEndpoints().get(0).setWeight(10);
    Decision decision = decider.invalidSpec(before, 2,
        "spec.analysis.interval: must be between 1s and 1h, was 0s", NOW.plusSeconds(5));

    Condition ready = condition(decision.status(), ParallelRunStatus.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(ConditionReasons.INVALID_SPEC);
    assertThat(ready.getMessage()).isEqualTo("spec.analysis.interval: must be between 1s and 1h, was 0s");
    assertThat(ready.getObservedGeneration()).isEqualTo(2);
    assertThat(decision.status().getPhase()).isEqualTo(io.parallelrun.api.Phase.Degraded);
    assertThat(decision.status().getEndpoints()).as("weights stay where they were").isEqualTo(before.getEndpoints());
    assertThat(decision.transitions()).isEmpty();
    assertThat(decision.changed()).isTrue();
    assertThat(decider.invalidSpec(decision.status(), 2, ready.getMessage(), NOW.plusSeconds(60)).changed())
        .as("nothing to write the second time").isFalse();
  }

  @Test
  void aRunThePolicyRefusesSaysWhyInReadyAndAnnouncesItOnce() {
    PolicyViolation violation = new PolicyViolation(PolicyViolation.IMAGE_NOT_ALLOWED, "spec.proxy.image",
        "spec.proxy.image \"evil\" is not allowed");
    Decision first = decider.decide(spec(), 1, NONE, ObservedMetrics.unavailable("PolicyViolation", "not analysed"),
        null, NOW, java.util.Optional.empty(), java.util.Optional.of(violation));
    Condition ready = condition(first.status(), ParallelRunStatus.READY);
    assertThat(ready.getStatus() + "/" + ready.getReason()).isEqualTo("False/ImageNotAllowed");
    assertThat(ready.getMessage()).contains("spec.proxy.image");
    assertThat(first.transitions()).singleElement().satisfies(t -> {
      assertThat(t.reason()).isEqualTo("ImageNotAllowed");
      assertThat(t.warning()).isTrue();
      assertThat(t.fieldPath()).isEqualTo("spec.proxy.image");
    });
    assertThat(first.status().getEndpoints().get(0).getWeight()).isZero();

    Decision again = decider.decide(spec(), 1, NONE, ObservedMetrics.unavailable("PolicyViolation", "not analysed"),
        roundTrip(first.status()), NOW.plusSeconds(30), java.util.Optional.empty(), java.util.Optional.of(violation));
    assertThat(again.transitions()).as("announced once, not every reconciliation").isEmpty();
  }
}
