package io.parallelrun.operator.decide;

import static io.parallelrun.api.ParallelRunStatus.METRICS_AVAILABLE;
import static io.parallelrun.api.ParallelRunStatus.PROGRESSING;
import static io.parallelrun.api.ParallelRunStatus.READY;
import static io.parallelrun.api.ParallelRunStatus.TRAFFIC_OBSERVED;

import io.fabric8.kubernetes.api.model.Condition;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.operator.observe.ObservedMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run as a whole, derived from its endpoints' decided statuses and the observation: the phase and the
 * Ready, Progressing, MetricsAvailable and TrafficObserved conditions (docs/api.md lists each reason). Pure.
 */
final class StatusSummary {

  Phase phase(DecisionInputs in, ParallelRunStatus before, List<EndpointStatus> endpoints) {
    if (in.paused()) return Phase.Paused;
    if (!in.metricsAvailable()) {
      // Never observed yet (a new run, or a proxy nobody scrapes yet) is not a degradation.
      return before.getLastAnalysisTime() == null ? Phase.Initializing : Phase.Degraded;
    }
    if (endpoints.stream().anyMatch(e -> e.getState() == EndpointState.RolledBack)) return Phase.Degraded;
    if (endpoints.stream().allMatch(e -> e.getState() == EndpointState.CutOver)) return Phase.Completed;
    if (endpoints.stream().anyMatch(e -> e.getWeight() > 0)) return Phase.Progressing;
    return Phase.Shadowing;
  }

  /** @param endpoints decided statuses, in the order of {@code resolved} */
  List<Condition> conditions(DecisionInputs in, ParallelRunStatus before, List<ResolvedEndpoint> resolved,
      List<EndpointStatus> endpoints, Phase phase, long generation) {
    Conditions next = new Conditions(before.getConditions(), generation, in.now());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(ready(in, endpoints, phase, next));
    conditions.add(progressing(in, endpoints, phase, next));
    if (in.observed() instanceof ObservedMetrics.Unavailable unavailable) {
      conditions.add(next.of(METRICS_AVAILABLE, "False", unavailable.reason(), unavailable.message()));
      conditions.add(next.of(TRAFFIC_OBSERVED, "Unknown", ConditionReasons.METRICS_UNAVAILABLE, "no metrics to tell"));
    } else {
      conditions.add(next.of(METRICS_AVAILABLE, "True", ConditionReasons.QUERY_SUCCEEDED,
          "match rates read from Prometheus"));
      conditions.add(trafficObserved(resolved, endpoints, next));
    }
    return conditions;
  }

  /** The run is healthy, whatever its progress; when it is not, the reason names the cause. */
  private static Condition ready(DecisionInputs in, List<EndpointStatus> endpoints, Phase phase, Conditions next) {
    List<String> rolledBack = endpoints.stream()
        .filter(e -> e.getState() == EndpointState.RolledBack).map(EndpointStatus::getName).toList();
    if (in.violation().isPresent()) {
      return next.of(READY, "False", in.violation().get().reason(), abbreviate(in.violation().get().message()));
    }
    if (in.proxyProblem().isPresent()) {
      return next.of(READY, "False", ConditionReasons.PROXY_NOT_APPLIED, abbreviate(in.proxyProblem().get()));
    }
    if (phase == Phase.Degraded && !in.metricsAvailable()) {
      return next.of(READY, "False", ConditionReasons.METRICS_UNAVAILABLE,
          "match rates cannot be read; every endpoint is frozen");
    }
    if (!rolledBack.isEmpty()) {
      return next.of(READY, "False", ConditionReasons.ROLLED_BACK, "rolled back: " + String.join(", ", rolledBack));
    }
    if (phase == Phase.Initializing) {
      return next.of(READY, "False", ConditionReasons.INITIALIZING, "no match rates observed yet");
    }
    return next.of(READY, "True", phase.name(),
        phase == Phase.Completed ? "every endpoint is cut over" : "the parallel run is healthy");
  }

  /** Whether endpoints can move on their own right now. */
  private static Condition progressing(DecisionInputs in, List<EndpointStatus> endpoints, Phase phase,
      Conditions next) {
    if (in.paused()) {
      return next.of(PROGRESSING, "False", ConditionReasons.PAUSED, "spec.paused is set");
    }
    if (!in.metricsAvailable()) {
      return next.of(PROGRESSING, "False", ConditionReasons.METRICS_UNAVAILABLE, "nothing moves without match rates");
    }
    if (phase == Phase.Completed) {
      return next.of(PROGRESSING, "False", ConditionReasons.COMPLETED, "every endpoint is cut over");
    }
    long awaiting = endpoints.stream().filter(e -> e.getState() == EndpointState.AwaitingApproval).count();
    long cutOver = endpoints.stream().filter(e -> e.getState() == EndpointState.CutOver).count();
    return next.of(PROGRESSING, "True", ConditionReasons.ANALYZING,
        cutOver + "/" + endpoints.size() + " cut over" + (awaiting > 0 ? ", " + awaiting + " awaiting approval" : ""));
  }

  private static Condition trafficObserved(List<ResolvedEndpoint> resolved, List<EndpointStatus> endpoints,
      Conditions next) {
    List<String> silent = new ArrayList<>();
    for (int i = 0; i < resolved.size(); i++) {
      if (resolved.get(i).mirror() && endpoints.get(i).getSamples() != null && endpoints.get(i).getSamples() == 0) {
        silent.add(resolved.get(i).name());
      }
    }
    return silent.isEmpty()
        ? next.of(TRAFFIC_OBSERVED, "True", ConditionReasons.SAMPLES_OBSERVED,
            "every mirrored endpoint has comparisons in its window")
        : next.of(TRAFFIC_OBSERVED, "False", ConditionReasons.NO_SAMPLES,
            "no comparisons in the window for " + String.join(", ", silent)
                + ": the proxy gets no traffic for them, or the candidate does not answer");
  }

  private static String abbreviate(String text) {
    return text.length() <= 1024 ? text : text.substring(0, 1021) + "...";
  }
}
