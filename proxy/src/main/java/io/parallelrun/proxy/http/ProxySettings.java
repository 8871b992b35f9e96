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
 * @param poolSize connections per backend for answers, and as many again for shadows, each divided evenly over the
 *     event loops that use them (see {@link #perInstance}); as many shadows may wait for a connection, more are shed
 */
public record ProxySettings(
    int maxBodyBytes,
    int maxInFlightComparisons,
    long shadowTimeoutMs,
    long connectTimeoutMs,
    long upstreamIdleTimeoutMs,
    int poolSize) {

  public static ProxySettings defaults() {
    return new ProxySettings(1024 * 1024, 1000, 2000, 2000, 60_000, 512);
  }

  /**
   * The limits for one of {@code instances} event loops that each have their own connection pool: the pool is
   * divided among them (rounded up). Dividing, rather than giving each loop the whole pool, keeps the number of
   * shadows the proxy can hold in flight the same whatever its CPU count: a 1-CPU proxy in front of a candidate
   * that answers 50 ms late at 6,000 req/s needs 300 shadow connections as much as a 4-CPU one does.
   */
  public ProxySettings perInstance(int instances) {
    int share = (poolSize + instances - 1) / instances;
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
