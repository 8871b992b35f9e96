package io.parallelrun.proxy.compare;

/** What one side's call gave: an answer, a failure (refused, reset, timeout, garbage), or too large to compare. */
public sealed interface SideOutcome {
  record Answer(ResponseSnapshot response) implements SideOutcome {}

  record Failed(String reason) implements SideOutcome {}

  record TooLarge() implements SideOutcome {}

  SideOutcome TOO_LARGE = new TooLarge();
}
