package io.parallelrun.proxy.routing;

/** Who answers the client, and whether the other side gets a shadow copy. */
public record RouteDecision(Side answer, boolean shadow) {
  public static final RouteDecision LEGACY_ONLY = new RouteDecision(Side.legacy, false);
}
