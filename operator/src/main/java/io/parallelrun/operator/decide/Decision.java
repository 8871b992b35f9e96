package io.parallelrun.operator.decide;

import io.parallelrun.api.ParallelRunStatus;
import java.util.List;
import java.util.Objects;

/** The status to write and the transitions to announce as Events. */
public record Decision(ParallelRunStatus status, List<Transition> transitions, boolean changed) {
  public Decision {
    Objects.requireNonNull(status);
    transitions = List.copyOf(transitions);
  }
}
