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
 * @param poolSize connections per backend that each client event loop may open for answers and each shadow lane
 *     for shadows, on demand; as many shadows again may wait for one per lane, more are shed. Across the lanes,
 *     {@code maxInFlightComparisons} bounds the shadows in flight, so the lanes' pools need not be divided
 * @param http2PoolSize the same for backends spoken to over HTTP/2, whose connections each carry as many requests
 *     at once as the server allows (often 100 to 250)
 * @param idleTimeoutMs a pooled backend connection without a request this long is closed; a shadow lane closes its
 *     HTTP/1.1 connections a few at a time (see {@link IdleConnectionReaper}), after this plus the shadow timeout
 * @param clientHeaderTimeoutMs a new client connection (proxy or admin port) whose first request head is not
 *     complete within this is closed; 0 = no limit (see {@link ClientDeadlines})
 * @param clientBodyTimeoutMs a request body not complete this long after its head is answered 408 and its
 *     connection closed; 0 = no limit
 * @param clientIdleTimeoutMs a client connection with no request in progress is closed when no complete request
 *     head arrives within this; 0 = no limit
 */
public record ProxySettings(
    int maxBodyBytes,
    int maxInFlightComparisons,
    long shadowTimeoutMs,
    long connectTimeoutMs,
    long upstreamIdleTimeoutMs,
    int poolSize,
    int http2PoolSize,
    long idleTimeoutMs,
    long clientHeaderTimeoutMs,
    long clientBodyTimeoutMs,
    long clientIdleTimeoutMs) {

  /**
   * A pool of 1024: shadows to a candidate answering 50 ms late need rate × 50 ms connections, 672 at 13,450 req/s
   * in the benchmark, where 256 per lane shed a sixth of them. Over HTTP/2, 16 connections carry 1,600 requests at
   * once at a server limit of 100 streams. Clients: 10 s for a request head (nginx allows 60 s, but a head is a
   * few hundred bytes), 30 s for a body (bodies over the buffering limit stream at the backend's pace), 60 s idle.
   */
  public static ProxySettings defaults() {
    return new ProxySettings(1024 * 1024, 1000, 2000, 2000, 60_000, 1024, 16, 60_000, 10_000, 30_000, 60_000);
  }

  /** How long a shadow lane's HTTP/1.1 connection stays unused before it is closed: longer than any shadow call. */
  public long shadowIdleTimeoutMs() {
    return idleTimeoutMs + shadowTimeoutMs;
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
