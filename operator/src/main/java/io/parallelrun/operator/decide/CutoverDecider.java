package io.parallelrun.operator.decide;

import io.fabric8.kubernetes.api.model.Condition;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.policy.PolicyViolation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, for every endpoint, its weight and state from the spec, what Prometheus observed, the previous
 * status, the annotations and the time ({@link EndpointStateMachine}), then the run's phase and conditions
 * ({@link StatusSummary}). A pure function: no I/O, no clock of its own, no memory between calls.
 * Everything it needs to remember (current weight, since when the threshold holds) is in the status it
 * returns, so an operator restarted mid-hold resumes exactly where the last status left it.
 *
 * The rules one endpoint follows are listed in {@link EndpointStateMachine}.
 */
public final class CutoverDecider {
  /** Condition type saying whether every mirrored endpoint saw comparisons in its window. */
  public static final String TRAFFIC_OBSERVED = ParallelRunStatus.TRAFFIC_OBSERVED;
  /**
   * When nothing but lastAnalysisTime would change, the status is still rewritten this often, so that
   * lastAnalysisTime shows the operator is alive without a patch every interval.
   */
  public static final Duration ANALYSIS_HEARTBEAT = Duration.ofMinutes(5);

  private final EndpointStateMachine endpointMachine;
  private final StatusSummary summary;

  public CutoverDecider() {
    this(new EndpointStateMachine(), new StatusSummary());
  }

  CutoverDecider(EndpointStateMachine endpointMachine, StatusSummary summary) {
    this.endpointMachine = endpointMachine;
    this.summary = summary;
  }

  public Decision decide(ParallelRunSpec spec, long generation, Map<String, String> annotations,
      ObservedMetrics observed, ParallelRunStatus previous, Instant now) {
    return decide(spec, generation, annotations, observed, previous, now, Optional.empty());
  }

  /**
   * @param proxyProblem why the proxy objects could not be applied, if they could not: shown in the Ready condition.
   *     Decisions go on regardless; proxies that run keep following the status.
   */
  public Decision decide(ParallelRunSpec spec, long generation, Map<String, String> annotations,
      ObservedMetrics observed, ParallelRunStatus previous, Instant now, Optional<String> proxyProblem) {
    return decide(spec, generation, annotations, observed, previous, now, proxyProblem, Optional.empty());
  }

  /**
   * @param violation why the operator's policy refuses this run, if it does: shown in the Ready condition (its
   *     reason) and announced by one Warning Event when it first appears. The caller deploys and observes nothing
   *     for such a run, so {@code observed} is unavailable and every endpoint stays where it was.
   */
  public Decision decide(ParallelRunSpec spec, long generation, Map<String, String> annotations,
      ObservedMetrics observed, ParallelRunStatus previous, Instant now, Optional<String> proxyProblem,
      Optional<PolicyViolation> violation) {
    ParallelRunStatus before = previous != null ? previous : new ParallelRunStatus();
    Map<String, EndpointStatus> previousByName = new HashMap<>();
    if (before.getEndpoints() != null) {
      before.getEndpoints().forEach(e -> previousByName.put(e.getName(), e));
    }
    DecisionInputs in = new DecisionInputs(SpecDefaults.paused(spec), observed,
        EndpointList.fromAnnotation(annotations, ParallelRun.APPROVE_ANNOTATION),
        EndpointList.fromAnnotation(annotations, ParallelRun.ROLLBACK_ANNOTATION), now, proxyProblem, violation);

    List<Transition> transitions = new ArrayList<>();
    violation.filter(v -> !v.reason().equals(readyReason(before)))
        .ifPresent(v -> transitions.add(new Transition(null, v.reason(), true, v.message(), v.field())));
    List<EndpointStatus> endpoints = new ArrayList<>();
    List<ResolvedEndpoint> resolved = SpecDefaults.resolve(spec);
    for (ResolvedEndpoint endpoint : resolved) {
      endpoints.add(endpointMachine.next(endpoint, previousByName.get(endpoint.name()), in, transitions));
    }

    ParallelRunStatus status = new ParallelRunStatus();
    status.setObservedGeneration(generation);
    status.setEndpoints(endpoints);
    long cutOver = endpoints.stream().filter(e -> e.getState() == EndpointState.CutOver).count();
    status.setCutOver(cutOver + "/" + endpoints.size());
    status.setLegacy(describe(spec.getLegacy()));
    status.setCandidate(describe(spec.getCandidate()));
    boolean metricsAvailable = observed instanceof ObservedMetrics.Available;
    status.setLastAnalysisTime(metricsAvailable ? Times.format(now) : before.getLastAnalysisTime());
    Phase phase = summary.phase(in, before, endpoints);
    status.setPhase(phase);
    status.setConditions(summary.conditions(in, before, resolved, endpoints, phase, generation));

    // Skip writes that would change nothing but the analysis timestamp, except for a periodic heartbeat.
    boolean changed = !sameIgnoringAnalysisTime(before, status);
    Instant lastAnalysis = Times.parse(before.getLastAnalysisTime());
    if (!changed && lastAnalysis != null && !now.isBefore(lastAnalysis)
        && Duration.between(lastAnalysis, now).compareTo(ANALYSIS_HEARTBEAT) < 0) {
      status.setLastAnalysisTime(before.getLastAnalysisTime());
    }
    return new Decision(status, transitions, !status.equals(before));
  }

  /**
   * The spec cannot be resolved (a duration out of bounds, say, let in by an older CRD without the rule): nothing
   * is decided, every endpoint keeps its weight and state, and the Ready condition names the field.
   */
  public Decision invalidSpec(ParallelRunStatus previous, long generation, String problem, Instant now) {
    ParallelRunStatus before = previous != null ? previous : new ParallelRunStatus();
    ParallelRunStatus status = new ParallelRunStatus();
    status.setObservedGeneration(generation);
    status.setPhase(Phase.Degraded);
    status.setCutOver(before.getCutOver());
    status.setLegacy(before.getLegacy());
    status.setCandidate(before.getCandidate());
    status.setLastAnalysisTime(before.getLastAnalysisTime());
    status.setEndpoints(before.getEndpoints());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(new Conditions(before.getConditions(), generation, now)
        .of(ParallelRunStatus.READY, "False", ConditionReasons.INVALID_SPEC, problem));
    if (before.getConditions() != null) {
      before.getConditions().stream().filter(c -> !ParallelRunStatus.READY.equals(c.getType())).forEach(conditions::add);
    }
    status.setConditions(conditions);
    return new Decision(status, List.of(), !status.equals(before));
  }

  private static String readyReason(ParallelRunStatus status) {
    return status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> ParallelRunStatus.READY.equals(c.getType())).map(Condition::getReason).findFirst().orElse(null);
  }

  private static boolean sameIgnoringAnalysisTime(ParallelRunStatus a, ParallelRunStatus b) {
    String saved = b.getLastAnalysisTime();
    b.setLastAnalysisTime(a.getLastAnalysisTime());
    boolean same = a.equals(b);
    b.setLastAnalysisTime(saved);
    return same;
  }

  private static String describe(BackendSpec backend) {
    if (backend == null) return null;
    if (backend.getService() != null) return backend.getService().getName() + ":" + backend.getService().getPort();
    return backend.getUrl();
  }
}
