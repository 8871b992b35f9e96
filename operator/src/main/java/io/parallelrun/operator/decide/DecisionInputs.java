package io.parallelrun.operator.decide;

import io.parallelrun.operator.observe.ObservedMetrics;
import io.parallelrun.operator.policy.PolicyViolation;
import java.time.Instant;
import java.util.Optional;

/** What one decision is taken on, besides the spec and the previous status: shared by every endpoint. */
record DecisionInputs(boolean paused, ObservedMetrics observed, EndpointList approved, EndpointList rollback,
    Instant now, Optional<String> proxyProblem, Optional<PolicyViolation> violation) {
  boolean metricsAvailable() {
    return observed instanceof ObservedMetrics.Available;
  }
}
