package io.parallelrun.proxy.routing;

/** Who answers the client, and whether the other side gets a shadow copy. */
public record RouteDecision(Side answer, boolean shadow) {
  public static final RouteDecision LEGACY_ONLY = new RouteDecision(Side.legacy, false);
  private static final RouteDecision LEGACY_SHADOWED = new RouteDecision(Side.legacy, true);
  private static final RouteDecision CANDIDATE_ONLY = new RouteDecision(Side.candidate, false);
  private static final RouteDecision CANDIDATE_SHADOWED = new RouteDecision(Side.candidate, true);

  /** One of the four decisions, shared: the request path decides for every request and allocates nothing for it. */
  public static RouteDecision of(Side answer, boolean shadow) {
    if (answer == Side.legacy) return shadow ? LEGACY_SHADOWED : LEGACY_ONLY;
    return shadow ? CANDIDATE_SHADOWED : CANDIDATE_ONLY;
  }
}
