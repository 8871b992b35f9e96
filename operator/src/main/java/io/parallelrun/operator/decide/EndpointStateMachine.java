package io.parallelrun.operator.decide;

import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.Promotion;
import io.parallelrun.api.ResolvedEndpoint;
import io.parallelrun.operator.observe.ComparisonCounts;
import io.parallelrun.operator.observe.FieldCounts;
import io.parallelrun.operator.observe.LatencyRatios;
import io.parallelrun.operator.observe.ObservedMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One endpoint's next weight, state and message, from its spec, its previous status and the observation. Pure,
 * like {@link CutoverDecider}, which runs it once per endpoint.
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
 *       minSamples comparisons starts (or continues) the hold (with a {@code threshold.confidence}, the upper bound
 *       of the rate's {@link WilsonInterval} must be below {@code rollback.matchRateBelow} to roll back, its lower
 *       bound at or above {@code matchRate} to hold); with any weight taken and at least minSamples comparisons, a
 *       p99 latency ratio (candidate / legacy) above {@code rollback.latency.p99RatioAbove} rolls back to 0 too;
 *       the hold needs every gate the endpoint declares: the match rate and each ratio of {@code threshold.latency}
 *       ({@link LatencyGate}; a ratio counts against a gate or the rollback only when the candidate is also at
 *       least {@code threshold.latency.minDifference} slower; missing latency data freezes the latency gate, as
 *       missing counts freeze the endpoint: no promotion and no rollback on latency); after holdFor of
 *       uninterrupted hold the weight moves to the next step ({@code Manual} endpoints first wait in
 *       AwaitingApproval until approved); anything else interrupts the hold.</li>
 * </ol>
 * A cut-over endpoint has no step left: its message says it is cut over and what is off (too few samples, the
 * match rate, a latency ratio), never that anything holds it.
 * A rolled-back endpoint starts over from weight 0: it must meet the threshold again over a full window
 * (so the regression has to age out of it) and hold it before retaking any weight.
 *
 * <p>The fields the comparisons differed at ({@link FieldDifferences}) are shown, never decided on: they fill
 * differences and ignoredNoise, and the message names the top one when the match rate holds or rolls back.
 */
final class EndpointStateMachine {
  private static final String CUT_OVER = "cut over: the candidate answers; legacy is still compared as the shadow";

  /**
   * @param last the endpoint's previous status, null for a new endpoint
   * @param transitions receives the Events this step is worth
   */
  EndpointStatus next(ResolvedEndpoint endpoint, EndpointStatus last, DecisionInputs in, List<Transition> transitions) {
    EndpointStatus next = decide(endpoint, last, in, transitions);
    next.setLastTransitionTime(last != null && last.getLastTransitionTime() != null
        && Objects.equals(last.getWeight(), next.getWeight()) && last.getState() == next.getState()
        ? last.getLastTransitionTime() : Times.format(in.now()));
    return next;
  }

  private EndpointStatus decide(ResolvedEndpoint endpoint, EndpointStatus last, DecisionInputs in,
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
      next.setMatchRate(Percentages.display(counts.matchRate()));
      interval(endpoint, counts).ifPresent(i -> {
        next.setMatchRateLower(Percentages.display(i.lower()));
        next.setMatchRateUpper(Percentages.display(i.upper()));
      });
      if (endpoint.latency().measured()) {
        LatencyRatios latency = available.latencyFor(endpoint.name());
        next.setLatencyP50Ratio(LatencyGate.display(latency.p50Ratio()));
        next.setLatencyP99Ratio(LatencyGate.display(latency.p99Ratio()));
      }
      Optional<FieldCounts> fields = available.fieldsFor(endpoint.name());
      if (fields.isPresent()) {
        next.setDifferences(FieldDifferences.orNull(FieldDifferences.top(fields.get(), counts.samples())));
        next.setIgnoredNoise(FieldDifferences.orNull(FieldDifferences.ignored(fields.get())));
      } else if (last != null) {
        // The differences query failed: differences are diagnostics, so the last ones stay while the endpoint still
        // has unmatched comparisons; they are dropped once it has none, so that they never outlive their cause.
        next.setDifferences(counts.unmatched() > 0 ? last.getDifferences() : null);
        next.setIgnoredNoise(last.getIgnoredNoise());
      }
    } else if (last != null) {
      next.setDifferences(last.getDifferences());
      next.setIgnoredNoise(last.getIgnoredNoise());
      next.setSamples(last.getSamples());
      next.setMatchRate(last.getMatchRate());
      if (endpoint.confidence() != null) {
        next.setMatchRateLower(last.getMatchRateLower());
        next.setMatchRateUpper(last.getMatchRateUpper());
      }
      if (endpoint.latency().measured()) {
        next.setLatencyP50Ratio(last.getLatencyP50Ratio());
        next.setLatencyP99Ratio(last.getLatencyP99Ratio());
      }
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
      EndpointState state, Instant readySince, DecisionInputs in, List<Transition> transitions) {
    ObservedMetrics.Available available = (ObservedMetrics.Available) in.observed();
    ComparisonCounts counts = available.countsFor(endpoint.name());
    LatencyRatios latency = available.latencyFor(endpoint.name());
    long samples = counts.samples();
    boolean enough = samples >= endpoint.minSamples();
    Double rate = counts.matchRate();
    Optional<WilsonInterval> interval = interval(endpoint, counts);
    // Where the answers differed, named in the message when the match rate is what holds or rolls the endpoint back.
    String differ = FieldDifferences.why(next.getDifferences());
    // With a confidence, the interval's bounds decide: the lower one must reach the threshold, the upper one
    // must fall below the rollback threshold, so that chance alone neither promotes nor rolls back a quiet endpoint.
    boolean meets = enough && interval.map(WilsonInterval::lower).orElse(rate) >= endpoint.matchRate();
    boolean regressed = enough && interval.map(WilsonInterval::upper).orElse(rate) < endpoint.rollbackBelow();

    if (weight > 0 && regressed) {
      String bound = interval.map(i -> ", and so did its " + confidence(endpoint) + " upper bound "
          + Percentages.text(i.upper())).orElse("");
      transitions.add(new Transition(endpoint.name(), Transition.ROLLED_BACK, true,
          "endpoint " + endpoint.name() + " rolled back from weight " + weight + ": match rate "
              + Percentages.text(rate) + " below " + Percentages.text(endpoint.rollbackBelow()) + bound));
      return set(next, 0, EndpointState.RolledBack, null, "rolled back: match rate " + Percentages.text(rate)
          + " fell below " + Percentages.text(endpoint.rollbackBelow()) + bound + differ
          + "; starts over once the threshold holds again");
    }
    if (weight > 0 && enough && LatencyGate.rollsBack(endpoint.latency(), latency)) {
      String ratio = "p99 latency " + LatencyGate.text(latency.p99Ratio()) + " legacy";
      String limit = LatencyGate.text(endpoint.latency().p99RollbackAbove()) + " ("
          + LatencyGate.difference(latency.p99()) + ")";
      transitions.add(Transition.latencyRollback(endpoint.name(),
          "endpoint " + endpoint.name() + " rolled back from weight " + weight + ": " + ratio + " above " + limit));
      return set(next, 0, EndpointState.RolledBack, null, "rolled back: " + ratio + " rose above " + limit
          + "; starts over once the threshold holds again");
    }
    Optional<String> slow = enough ? LatencyGate.holdsBack(endpoint.latency(), latency, endpoint.window())
        : Optional.empty();
    if (weight >= 100) {
      // No step is left to hold a cut-over endpoint from: its message states what is measured, nothing that reads
      // as a hold. readySince still says since when every gate has held.
      Instant since = meets && slow.isEmpty() ? (readySince != null ? readySince : in.now()) : null;
      return set(next, 100, EndpointState.CutOver, since,
          CUT_OVER + cutOverFacts(endpoint, samples, enough, meets, rate, interval.orElse(null), latency, differ));
    }
    if (!meets) {
      return set(next, weight, holding(weight, state), null, !enough
          ? samples + " of " + endpoint.minSamples() + " samples needed in the last " + window(endpoint)
          : belowThreshold(endpoint, weight, rate, interval.orElse(null), differ) + slow.map(s -> "; " + s).orElse(""));
    }
    if (slow.isPresent()) {
      return set(next, weight, holding(weight, state), null,
          "match rate " + Percentages.text(rate) + " meets the threshold but " + slow.get());
    }
    Instant since = readySince != null ? readySince : in.now();
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
      Instant readySince, DecisionInputs in, List<Transition> transitions) {
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

  private EndpointStatus step(ResolvedEndpoint endpoint, EndpointStatus next, int weight, DecisionInputs in,
      List<Transition> transitions, String why) {
    int to = nextStep(endpoint.steps(), weight);
    if (to >= 100) {
      transitions.add(new Transition(endpoint.name(), Transition.CUT_OVER, false,
          "endpoint " + endpoint.name() + " cut over to the candidate (" + why + ")"));
      // The hold at the new weight starts now.
      return set(next, 100, EndpointState.CutOver, in.now(), CUT_OVER);
    }
    transitions.add(new Transition(endpoint.name(), Transition.PROMOTED, false,
        "endpoint " + endpoint.name() + " promoted from weight " + weight + " to " + to + " (" + why + ")"));
    return set(next, to, EndpointState.Promoting, in.now(),
        "promoted to weight " + to + "; holding the threshold again before the next step");
  }

  /** What is measured on a cut-over endpoint beyond its being cut over: too few samples, a rate or a ratio off. */
  private static String cutOverFacts(ResolvedEndpoint endpoint, long samples, boolean enough, boolean meets,
      Double rate, WilsonInterval interval, LatencyRatios latency, String differ) {
    if (!enough) {
      return "; " + samples + " comparisons in the last " + window(endpoint) + " (minSamples " + endpoint.minSamples()
          + ")";
    }
    String facts = meets ? "" : "; " + belowThreshold(endpoint, 100, rate, interval, differ);
    return facts + LatencyGate.breachedGates(endpoint.latency(), latency).map(s -> "; " + s).orElse("");
  }

  /**
   * Why an endpoint with enough samples is held: the rate, or the bound that holds it when the rate alone would not,
   * then {@code differ}, where the answers differed.
   */
  private static String belowThreshold(ResolvedEndpoint endpoint, int weight, double rate, WilsonInterval interval,
      String differ) {
    String why = (rate >= endpoint.matchRate() && interval != null
        ? "match rate " + Percentages.text(rate) + " but its " + confidence(endpoint) + " lower bound "
            + Percentages.text(interval.lower()) + " < " + Percentages.text(endpoint.matchRate())
        : "match rate " + Percentages.text(rate) + " below the threshold " + Percentages.text(endpoint.matchRate()))
        + differ;
    if (weight > 0 && interval != null && rate < endpoint.rollbackBelow()) {
      why += "; not rolled back: its " + confidence(endpoint) + " upper bound " + Percentages.text(interval.upper())
          + " is not below " + Percentages.text(endpoint.rollbackBelow());
    }
    return why;
  }

  /** The match rate's interval at the endpoint's confidence; none without a confidence or without samples. */
  private static Optional<WilsonInterval> interval(ResolvedEndpoint endpoint, ComparisonCounts counts) {
    return endpoint.confidence() == null || counts.samples() == 0 ? Optional.empty()
        : Optional.of(WilsonInterval.of(counts.matched(), counts.samples(), endpoint.confidence()));
  }

  private static String confidence(ResolvedEndpoint endpoint) {
    return Percentages.text(endpoint.confidence());
  }

  /** The first step above the current weight; weights not on the list (the steps were edited) move up too. */
  static int nextStep(List<Integer> steps, int weight) {
    return steps.stream().filter(s -> s > weight).findFirst().orElse(100);
  }

  /** The state of an endpoint that does not meet its threshold: a rolled-back one stays so until it does. */
  private static EndpointState holding(int weight, EndpointState state) {
    return weight == 0
        ? (state == EndpointState.RolledBack ? EndpointState.RolledBack : EndpointState.Shadowing)
        : stateAt(weight);
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

  private static String window(ResolvedEndpoint endpoint) {
    return endpoint.window().toSeconds() + "s";
  }
}
