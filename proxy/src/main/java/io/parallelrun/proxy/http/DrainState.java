package io.parallelrun.proxy.http;

import java.util.concurrent.atomic.AtomicInteger;

/** Requests in flight and client connections open, and whether the proxy is shutting down. */
public final class DrainState {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger openConnections = new AtomicInteger();
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

  public void connectionOpened() {
    openConnections.incrementAndGet();
  }

  public void connectionClosed() {
    openConnections.decrementAndGet();
  }

  public int openConnections() {
    return openConnections.get();
  }

  public boolean draining() {
    return draining;
  }

  public void startDraining() {
    draining = true;
  }
}
