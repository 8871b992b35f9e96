package io.parallelrun.proxy.compare;

/**
 * What one side's call gave: an answer, a failure (refused, reset, timeout, garbage), too large to compare, or,
 * for a shadow, not sent at all because every connection to that side was busy (shed, see {@code ProxyVerticle}).
 */
public sealed interface SideOutcome {
  record Answer(ResponseSnapshot response) implements SideOutcome {}

  record Failed(String reason) implements SideOutcome {}

  record TooLarge() implements SideOutcome {}

  record Shed() implements SideOutcome {}

  SideOutcome TOO_LARGE = new TooLarge();

  SideOutcome SHED = new Shed();
}
