package io.parallelrun.proxy.http;

/**
 * Data-plane limits.
 *
 * @param maxBodyBytes request and response bodies up to this size are buffered and compared; larger ones
 *     stream through and their comparison counts as skipped
 * @param maxInFlightComparisons shadow calls plus pending comparisons at most; beyond it shadows are dropped
 * @param shadowTimeoutMs a shadow call that has not completed by then counts as failed
 * @param connectTimeoutMs connecting to (or waiting for a pooled connection to) a backend
 * @param upstreamIdleTimeoutMs an answering call that stays silent this long is aborted (502 or reset)
 * @param poolSize connections per backend that each client event loop may open for answers; and connections per
 *     backend for shadows in all, divided over the shadow lanes (see {@link #perShadowLane}), with as many shadows
 *     again allowed to wait for one; more are shed
 */
public record ProxySettings(
    int maxBodyBytes,
    int maxInFlightComparisons,
    long shadowTimeoutMs,
    long connectTimeoutMs,
    long upstreamIdleTimeoutMs,
    int poolSize) {

  /**
   * The pool default is Envoy's default circuit-breaker threshold (1024 connections per cluster): shadows to a
   * candidate answering 50 ms late need rate × 50 ms connections, 672 at 13,450 req/s, which 512 could not hold.
   */
  public static ProxySettings defaults() {
    return new ProxySettings(1024 * 1024, 1000, 2000, 2000, 60_000, 1024);
  }

  /**
   * The limits for one of {@code lanes} shadow lanes, each with a shadow pool of its own: the shadow pool is divided
   * among them (rounded up, so the total may exceed {@code poolSize} by up to {@code lanes - 1}). Dividing, rather
   * than giving each lane the whole pool, keeps the number of shadows the proxy holds in flight about the same
   * whatever its CPU count: a 1-CPU proxy in front of a candidate that answers 50 ms late at 6,000 req/s needs 300
   * shadow connections as much as a 4-CPU one does. Answers are not divided: their connections are opened on demand,
   * one per client request in flight, so the cap only guards the backend, and a per-loop share shrinking with the
   * CPU count would queue client requests on many-core nodes.
   */
  public ProxySettings perShadowLane(int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1, was " + lanes);
    int share = (poolSize + lanes - 1) / lanes;
    return new ProxySettings(maxBodyBytes, maxInFlightComparisons, shadowTimeoutMs, connectTimeoutMs,
        upstreamIdleTimeoutMs, share);
  }

  /** Shadows that may wait for a connection of the shadow pool, per backend and shadow lane. */
  public int shadowWaitQueueSize() {
    return poolSize;
  }

  /** Shadows per side and shadow lane at most, sent or waiting for a connection; more are shed. */
  public int maxShadowsInFlightPerSide() {
    return poolSize + shadowWaitQueueSize();
  }
}
