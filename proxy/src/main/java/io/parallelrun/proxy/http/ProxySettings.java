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
 * @param poolSize connections per backend: per client event loop for answers, and per shadow lane for shadows; as many
 *     shadows may wait for a connection, more are shed
 */
public record ProxySettings(
    int maxBodyBytes,
    int maxInFlightComparisons,
    long shadowTimeoutMs,
    long connectTimeoutMs,
    long upstreamIdleTimeoutMs,
    int poolSize) {

  public static ProxySettings defaults() {
    return new ProxySettings(1024 * 1024, 1000, 2000, 2000, 60_000, 256);
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
