package io.parallelrun.proxy.mismatch;

import java.util.function.LongSupplier;

/** A token bucket: up to {@code perSecond} permits a second, bursts up to the same number. */
public final class RateLimiter {
  private final double perSecond;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  public RateLimiter(double perSecond, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.nanoClock = nanoClock;
    this.tokens = perSecond;
    this.last = nanoClock.getAsLong();
  }

  public synchronized boolean tryAcquire() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
