package io.parallelrun.proxy.http;

import java.util.concurrent.atomic.AtomicInteger;

/** Requests in flight on the client side, and whether the proxy is shutting down. */
public final class DrainState {
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  public void started() {
    inFlight.incrementAndGet();
  }

  public void finished() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public boolean draining() {
    return draining;
  }

  public void startDraining() {
    draining = true;
  }
}
