package io.parallelrun.operator.decide;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Kubernetes-style conditions computed against the previous ones: lastTransitionTime moves only when the status
 * (True/False/Unknown) flips.
 */
final class Conditions {
  private final List<Condition> previous;
  private final long generation;
  private final Instant now;

  /** @param previous the conditions of the previous status, null if there were none */
  Conditions(List<Condition> previous, long generation, Instant now) {
    this.previous = previous;
    this.generation = generation;
    this.now = now;
  }

  Condition of(String type, String status, String reason, String message) {
    Condition before = previous == null ? null
        : previous.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String lastTransition = before != null && Objects.equals(before.getStatus(), status)
        && before.getLastTransitionTime() != null ? before.getLastTransitionTime() : Times.format(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(lastTransition)
        .build();
  }
}
