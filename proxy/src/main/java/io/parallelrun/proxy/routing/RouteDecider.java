package io.parallelrun.proxy.routing;

import java.util.function.IntUnaryOperator;

/**
 * The routing decision for one request, a pure function of the endpoint's weight, mirror settings and a
 * random source (injected, so tests can make it deterministic).
 */
public final class RouteDecider {
  private final IntUnaryOperator random; // bound -> uniform int in [0, bound)

  public RouteDecider(IntUnaryOperator random) {
    this.random = random;
  }

  public static RouteDecider threadLocalRandom() {
    return new RouteDecider(bound -> java.util.concurrent.ThreadLocalRandom.current().nextInt(bound));
  }

  /**
   * @param weight percent of requests the candidate answers, 0..100
   * @param mirror whether the endpoint is mirrored at all
   * @param mirrorPercent percent of requests that get a shadow copy, 0..100
   */
  public RouteDecision decide(int weight, boolean mirror, int mirrorPercent) {
    Side answer = weight >= 100 ? Side.candidate
        : weight <= 0 ? Side.legacy
        : random.applyAsInt(100) < weight ? Side.candidate : Side.legacy;
    boolean shadow = mirror && (mirrorPercent >= 100 || (mirrorPercent > 0 && random.applyAsInt(100) < mirrorPercent));
    return RouteDecision.of(answer, shadow);
  }
}
