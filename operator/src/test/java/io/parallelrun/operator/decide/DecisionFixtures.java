package io.parallelrun.operator.decide;


import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.parallelrun.api.EndpointSpec;
import io.parallelrun.api.EndpointState;
import io.parallelrun.api.EndpointStatus;
import io.parallelrun.api.HttpMethod;
import io.parallelrun.api.ParallelRun;
import io.parallelrun.api.ParallelRunSpec;
import io.parallelrun.api.ParallelRunStatus;
import io.parallelrun.api.ThresholdSpec;
import io.parallelrun.operator.observe.ComparisonCounts;
import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.support.Manifests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The spec, observations and previous statuses the decider's tests start from, and helpers to read the result. */
abstract class DecisionFixtures {
  static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
  static final String EP = "get-order";
  /** matchRate 99, minSamples 100, window 30s, holdFor 60s, steps 10 → 50 → 100. */
  static final ThresholdSpec THRESHOLD = new ThresholdSpec(99.0, 100L, "30s", "60s");
  static final List<Integer> STEPS = List.of(10, 50, 100);

  static ParallelRunSpec spec() {
    return Manifests.spec(THRESHOLD, STEPS, Manifests.endpoint(EP, HttpMethod.GET, "/orders/{id}"));
  }

  static ParallelRunSpec spec(Consumer<EndpointSpec> change) {
    ParallelRunSpec spec = spec();
    change.accept(spec.getEndpoints().get(0));
    return spec;
  }

  static EndpointStatus was(int weight, EndpointState state, Instant readySince) {
    EndpointStatus s = new EndpointStatus();
    s.setName(EP);
    s.setWeight(weight);
    s.setState(state);
    s.setReadySince(readySince == null ? null : Times.format(readySince));
    s.setLastTransitionTime("2026-01-01T00:00:00Z");
    return s;
  }

  static ObservedMetrics counts(long matched, long unmatched, long failed, long skipped) {
    return ObservedMetrics.available(Map.of(EP, new ComparisonCounts(matched, unmatched, failed, skipped)));
  }

  /** 1000 samples at the given match rate (in tenths of a percent: 990 = 99.0%). */
  static ObservedMetrics rate(int permille) {
    return counts(permille, 1000 - permille, 0, 0);
  }

  static final ObservedMetrics GOOD = rate(1000);
  static final ObservedMetrics BAD = rate(900);
  static final ObservedMetrics DOWN = ObservedMetrics.unavailable("QueryFailed", "connection refused");

  static Instant ago(int seconds) {
    return NOW.minusSeconds(seconds);
  }

  static final Map<String, String> NONE = Map.of();
  static final Map<String, String> APPROVED = Map.of(ParallelRun.APPROVE_ANNOTATION, EP);
  static final Map<String, String> ROLLBACK = Map.of(ParallelRun.ROLLBACK_ANNOTATION, EP);

  static EndpointStatus withReadySince(EndpointStatus s, String readySince) {
    s.setReadySince(readySince);
    return s;
  }

  static Condition condition(ParallelRunStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  static ParallelRunStatus roundTrip(ParallelRunStatus status) {
    return Serialization.unmarshal(Serialization.asJson(status), ParallelRunStatus.class);
  }
}
