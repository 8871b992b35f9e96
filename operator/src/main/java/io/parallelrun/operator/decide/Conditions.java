package io.parallelrun.operator.decide;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Kubernetes-style conditions: lastTransitionTime moves only when the status (True/False/Unknown) flips. */
final class Conditions {
  private Conditions() {}

  static Condition next(List<Condition> previous, String type, String status, String reason, String message,
      long generation, Instant now) {
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
