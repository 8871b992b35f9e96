package io.parallelrun.operator.decide;

import io.fabric8.kubernetes.api.model.Condition;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.Phase;
import io.parallelrun.api.Promotion;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.api.SpecDefaults;
import io.parallelrun.operator.observe.ComparisonCounts;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.policy.PolicyViolation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, for every endpoint, its weight and state from the spec, what Prometheus observed, the previous
 * status, the annotations and the time. A pure function: no I/O, no clock of its own, no memory between calls.
 * Everything it needs to remember (current weight, since when the threshold holds) is in the status it
 * returns, so an operator restarted mid-hold resumes exactly where the last status left it.
 *
 * <p>Per endpoint, in order of precedence:
 * <ol>
 *   <li>listed in {@code parallelrun.io/rollback}: weight 0, RolledBack, for as long as it is listed;</li>
 *   <li>{@code spec.paused}: weight and state frozen, the hold restarts after resuming;</li>
 *   <li>metrics unavailable: frozen likewise, nothing promoted or rolled back on missing data;</li>
 *   <li>{@code mirror: false}: nothing is compared, so it moves only while listed in
 *       {@code parallelrun.io/approve}: the first step at once, each later one after holdFor;</li>
 *   <li>otherwise: with any weight taken and at least minSamples comparisons, a match rate below
 *       {@code rollback.matchRateBelow} rolls back to 0; a match rate at or above {@code matchRate} with at least
 *       minSamples comparisons starts (or continues) the hold; after holdFor of uninterrupted hold the weight
 *       moves to the next step ({@code Manual} endpoints first wait in AwaitingApproval until approved);
 *       anything else interrupts the hold.</li>
 * </ol>
 * A rolled-back endpoint starts over from weight 0: it must meet the threshold again over a full window
 * (so the regression has to age out of it) and hold it before retaking any weight.
 */
public final class CutoverDecider {
  /** Condition type saying whether every mirrored endpoint saw comparisons in its window. */
  public static final String TRAFFIC_OBSERVED = ParallelRunStatus.TRAFFIC_OBSERVED;
  /**
   * When nothing but lastAnalysisTime would change, the status is still rewritten this often, so that
   * lastAnalysisTime shows the operator is alive without a patch every interval.
   */
  public static final Duration ANALYSIS_HEARTBEAT = Duration.ofMinutes(5);

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
    Inputs in = new Inputs(SpecDefaults.paused(spec), observed,
        EndpointList.fromAnnotation(annotations, ParallelRun.APPROVE_ANNOTATION),
        EndpointList.fromAnnotation(annotations, ParallelRun.ROLLBACK_ANNOTATION), now, proxyProblem, violation);

    List<Transition> transitions = new ArrayList<>();
    violation.filter(v -> !v.reason().equals(readyReason(before)))
        .ifPresent(v -> transitions.add(new Transition(null, v.reason(), true, v.message(), v.field())));
    List<EndpointStatus> endpoints = new ArrayList<>();
    List<ResolvedEndpoint> resolved = SpecDefaults.resolve(spec);
    for (ResolvedEndpoint endpoint : resolved) {
      EndpointStatus last = previousByName.get(endpoint.name());
      EndpointStatus next = decideEndpoint(endpoint, last, in, transitions);
      next.setLastTransitionTime(last != null && last.getLastTransitionTime() != null
          && Objects.equals(last.getWeight(), next.getWeight()) && last.getState() == next.getState()
          ? last.getLastTransitionTime() : Times.format(now));
      endpoints.add(next);
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
    Phase phase = phase(in, before, endpoints);
    status.setPhase(phase);
    status.setConditions(conditions(in, before, resolved, endpoints, phase, generation));

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
    conditions.add(Conditions.next(before.getConditions(), ParallelRunStatus.READY, "False", "InvalidSpec", problem,
        generation, now));
    if (before.getConditions() != null) {
      before.getConditions().stream().filter(c -> !ParallelRunStatus.READY.equals(c.getType())).forEach(conditions::add);
    }
    status.setConditions(conditions);
    return new Decision(status, List.of(), !status.equals(before));
  }

  private record Inputs(boolean paused, ObservedMetrics observed, EndpointList approved, EndpointList rollback,
      Instant now, Optional<String> proxyProblem, Optional<PolicyViolation> violation) {
    boolean metricsAvailable() {
      return observed instanceof ObservedMetrics.Available;
    }
  }

  private EndpointStatus decideEndpoint(ResolvedEndpoint endpoint, EndpointStatus last, Inputs in,
      List<Transition> transitions) {
    EndpointStatus next = new EndpointStatus();
    next.setName(endpoint.name());
    int weight = last != null && last.getWeight() != null ? last.getWeight() : 0;
    EndpointState state = last != null && last.getState() != null ? last.getState()
        : endpoint.mirror() ? EndpointState.Shadowing : EndpointState.NotMirrored;
    Instant readySince = last == null ? null : Times.parse(last.getReadySince());
    if (readySince != null && readySince.isAfter(in.now())) {
      // The clock stepped back behind the hold's start: restart the hold rather than trust a future time.
      readySince = in.now();
    }

    // Observations: fresh counts when Prometheus answered, the last known ones otherwise.
    if (in.observed() instanceof ObservedMetrics.Available available) {
      ComparisonCounts counts = available.countsFor(endpoint.name());
      next.setSamples(counts.samples());
      next.setMatchRate(displayRate(counts.matchRate()));
    } else if (last != null) {
      next.setSamples(last.getSamples());
      next.setMatchRate(last.getMatchRate());
    }

    if (in.rollback().contains(endpoint.name())) {
      if (weight > 0 || state != EndpointState.RolledBack) {
        transitions.add(new Transition(endpoint.name(), Transition.ROLLED_BACK, true,
            "endpoint " + endpoint.name() + " rolled back from weight " + weight + " by annotation " + ParallelRun.ROLLBACK_ANNOTATION));
      }
      return set(next, 0, EndpointState.RolledBack, null,
          "held at weight 0 while listed in " + ParallelRun.ROLLBACK_ANNOTATION);
    }
    if (in.paused()) {
      return set(next, weight, state, null, "paused: weight and state frozen; the hold restarts on resume");
    }
    if (in.observed() instanceof ObservedMetrics.Unavailable unavailable) {
      return set(next, weight, state, null,
          "frozen: metrics unavailable (" + unavailable.reason() + "); the hold restarts when they are back");
    }
    if (!endpoint.mirror()) {
      return decideNotMirrored(endpoint, next, weight, readySince, in, transitions);
    }
    return decideMirrored(endpoint, next, weight, state, readySince, in, transitions);
  }

  private EndpointStatus decideMirrored(ResolvedEndpoint endpoint, EndpointStatus next, int weight,
      EndpointState state, Instant readySince, Inputs in, List<Transition> transitions) {
    ComparisonCounts counts = ((ObservedMetrics.Available) in.observed()).countsFor(endpoint.name());
    long samples = counts.samples();
    boolean enough = samples >= endpoint.minSamples();
    Double rate = counts.matchRate();
    boolean meets = enough && rate >= endpoint.matchRate();
    boolean regressed = enough && rate < endpoint.rollbackBelow();

    if (weight > 0 && regressed) {
      transitions.add(new Transition(endpoint.name(), Transition.ROLLED_BACK, true,
          "endpoint " + endpoint.name() + " rolled back from weight " + weight + ": match rate "
              + percent(rate) + " below " + percent(endpoint.rollbackBelow())));
      return set(next, 0, EndpointState.RolledBack, null, "rolled back: match rate " + percent(rate)
          + " fell below " + percent(endpoint.rollbackBelow()) + "; starts over once the threshold holds again");
    }
    if (!meets) {
      EndpointState holding = weight == 0
          ? (state == EndpointState.RolledBack ? EndpointState.RolledBack : EndpointState.Shadowing)
          : stateAt(weight);
      String why = !enough
          ? samples + " of " + endpoint.minSamples() + " samples needed in the last " + window(endpoint)
          : "match rate " + percent(rate) + " below the threshold " + percent(endpoint.matchRate());
      return set(next, weight, holding, null, why);
    }
    Instant since = readySince != null ? readySince : in.now();
    if (weight >= 100) {
      return set(next, 100, EndpointState.CutOver, since,
          "cut over: the candidate answers; legacy is still compared as the shadow");
    }
    if (Duration.between(since, in.now()).compareTo(endpoint.holdFor()) < 0) {
      return set(next, weight, weight == 0 ? EndpointState.Ready : EndpointState.Promoting, since,
          "threshold met; holding until " + Times.format(since.plus(endpoint.holdFor()))
              + " before the next step");
    }
    if (endpoint.promotion() == Promotion.Manual && !in.approved().contains(endpoint.name())) {
      if (state != EndpointState.AwaitingApproval) {
        transitions.add(new Transition(endpoint.name(), Transition.AWAITING_APPROVAL, false,
            "endpoint " + endpoint.name() + " held its threshold at weight " + weight + "; add it to "
                + ParallelRun.APPROVE_ANNOTATION + " to go on"));
      }
      return set(next, weight, EndpointState.AwaitingApproval, since,
          "threshold held; waiting for " + ParallelRun.APPROVE_ANNOTATION + " to list " + endpoint.name());
    }
    return step(endpoint, next, weight, in, transitions, "threshold held for " + endpoint.holdFor().toSeconds() + "s");
  }

  private EndpointStatus decideNotMirrored(ResolvedEndpoint endpoint, EndpointStatus next, int weight,
      Instant readySince, Inputs in, List<Transition> transitions) {
    if (!in.approved().contains(endpoint.name())) {
      return set(next, weight, weight == 0 ? EndpointState.NotMirrored : stateAt(weight), null,
          "not mirrored, so nothing is compared: moves only while listed in " + ParallelRun.APPROVE_ANNOTATION);
    }
    if (weight >= 100) {
      return set(next, 100, EndpointState.CutOver, readySince, "cut over by approval (not mirrored)");
    }
    // The approval is the decision; holding before the first step would add delay without information.
    // Later steps still wait holdFor, giving people time to watch and withdraw the approval.
    Instant since = readySince != null ? readySince : in.now();
    if (weight > 0 && Duration.between(since, in.now()).compareTo(endpoint.holdFor()) < 0) {
      return set(next, weight, EndpointState.Promoting, since,
          "approved (not mirrored); next step after " + Times.format(since.plus(endpoint.holdFor())));
    }
    return step(endpoint, next, weight, in, transitions, "approved (not mirrored)");
  }

  private EndpointStatus step(ResolvedEndpoint endpoint, EndpointStatus next, int weight, Inputs in,
      List<Transition> transitions, String why) {
    int to = nextStep(endpoint.steps(), weight);
    if (to >= 100) {
      transitions.add(new Transition(endpoint.name(), Transition.CUT_OVER, false,
          "endpoint " + endpoint.name() + " cut over to the candidate (" + why + ")"));
      // The hold at the new weight starts now.
      return set(next, 100, EndpointState.CutOver, in.now(),
          "cut over: the candidate answers; legacy is still compared as the shadow");
    }
    transitions.add(new Transition(endpoint.name(), Transition.PROMOTED, false,
        "endpoint " + endpoint.name() + " promoted from weight " + weight + " to " + to + " (" + why + ")"));
    return set(next, to, EndpointState.Promoting, in.now(),
        "promoted to weight " + to + "; holding the threshold again before the next step");
  }

  /** The first step above the current weight; weights not on the list (the steps were edited) move up too. */
  static int nextStep(List<Integer> steps, int weight) {
    return steps.stream().filter(s -> s > weight).findFirst().orElse(100);
  }

  private static EndpointState stateAt(int weight) {
    return weight >= 100 ? EndpointState.CutOver : weight > 0 ? EndpointState.Promoting : EndpointState.Shadowing;
  }

  private static EndpointStatus set(EndpointStatus next, int weight, EndpointState state, Instant readySince,
      String message) {
    next.setWeight(weight);
    next.setState(state);
    next.setReadySince(readySince == null ? null : Times.formatCeil(readySince));
    next.setMessage(message);
    return next;
  }

  private Phase phase(Inputs in, ParallelRunStatus before, List<EndpointStatus> endpoints) {
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

  private List<Condition> conditions(Inputs in, ParallelRunStatus before, List<ResolvedEndpoint> resolved,
      List<EndpointStatus> endpoints, Phase phase, long generation) {
    List<Condition> previous = before.getConditions();
    Instant now = in.now();
    List<Condition> conditions = new ArrayList<>();

    // Ready: the run is healthy, whatever its progress. Degraded names its cause.
    List<String> rolledBack = endpoints.stream()
        .filter(e -> e.getState() == EndpointState.RolledBack).map(EndpointStatus::getName).toList();
    if (in.violation().isPresent()) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.READY, "False", in.violation().get().reason(),
          abbreviate(in.violation().get().message()), generation, now));
    } else if (in.proxyProblem().isPresent()) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.READY, "False", "ProxyNotApplied",
          abbreviate(in.proxyProblem().get()), generation, now));
    } else if (phase == Phase.Degraded && !in.metricsAvailable()) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.READY, "False", "MetricsUnavailable",
          "match rates cannot be read; every endpoint is frozen", generation, now));
    } else if (!rolledBack.isEmpty()) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.READY, "False", "RolledBack",
          "rolled back: " + String.join(", ", rolledBack), generation, now));
    } else if (phase == Phase.Initializing) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.READY, "False", "Initializing",
          "no match rates observed yet", generation, now));
    } else {
      conditions.add(Conditions.next(previous, ParallelRunStatus.READY, "True", phase.name(),
          phase == Phase.Completed ? "every endpoint is cut over" : "the parallel run is healthy", generation, now));
    }

    // Progressing: whether endpoints can move on their own right now.
    long awaiting = endpoints.stream().filter(e -> e.getState() == EndpointState.AwaitingApproval).count();
    long cutOver = endpoints.stream().filter(e -> e.getState() == EndpointState.CutOver).count();
    if (in.paused()) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.PROGRESSING, "False", "Paused",
          "spec.paused is set", generation, now));
    } else if (!in.metricsAvailable()) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.PROGRESSING, "False", "MetricsUnavailable",
          "nothing moves without match rates", generation, now));
    } else if (phase == Phase.Completed) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.PROGRESSING, "False", "Completed",
          "every endpoint is cut over", generation, now));
    } else {
      conditions.add(Conditions.next(previous, ParallelRunStatus.PROGRESSING, "True", "Analyzing",
          cutOver + "/" + endpoints.size() + " cut over" + (awaiting > 0 ? ", " + awaiting + " awaiting approval" : ""),
          generation, now));
    }

    if (in.observed() instanceof ObservedMetrics.Unavailable unavailable) {
      conditions.add(Conditions.next(previous, ParallelRunStatus.METRICS_AVAILABLE, "False", unavailable.reason(),
          unavailable.message(), generation, now));
      conditions.add(Conditions.next(previous, TRAFFIC_OBSERVED, "Unknown", "MetricsUnavailable",
          "no metrics to tell", generation, now));
    } else {
      conditions.add(Conditions.next(previous, ParallelRunStatus.METRICS_AVAILABLE, "True", "QuerySucceeded",
          "match rates read from Prometheus", generation, now));
      List<String> silent = new ArrayList<>();
      for (int i = 0; i < resolved.size(); i++) {
        if (resolved.get(i).mirror() && endpoints.get(i).getSamples() != null && endpoints.get(i).getSamples() == 0) {
          silent.add(resolved.get(i).name());
        }
      }
      conditions.add(silent.isEmpty()
          ? Conditions.next(previous, TRAFFIC_OBSERVED, "True", "SamplesObserved",
              "every mirrored endpoint has comparisons in its window", generation, now)
          : Conditions.next(previous, TRAFFIC_OBSERVED, "False", "NoSamples",
              "no comparisons in the window for " + String.join(", ", silent)
                  + ": the proxy gets no traffic for them, or the candidate does not answer", generation, now));
    }
    return conditions;
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

  private static String abbreviate(String text) {
    return text.length() <= 1024 ? text : text.substring(0, 1021) + "...";
  }

  private static String describe(BackendSpec backend) {
    if (backend == null) return null;
    if (backend.getService() != null) return backend.getService().getName() + ":" + backend.getService().getPort();
    return backend.getUrl();
  }

  /** Two decimals, rounded down, so a rate shown as meeting a two-decimal threshold always does. */
  private static Double displayRate(Double rate) {
    return rate == null ? null : BigDecimal.valueOf(rate).setScale(2, RoundingMode.FLOOR).doubleValue();
  }

  private static String percent(double rate) {
    return BigDecimal.valueOf(rate).setScale(2, RoundingMode.FLOOR).stripTrailingZeros().toPlainString() + "%";
  }

  private static String window(ResolvedEndpoint endpoint) {
    return endpoint.window().toSeconds() + "s";
  }
}
