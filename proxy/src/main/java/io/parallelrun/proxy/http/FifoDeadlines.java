package io.parallelrun.proxy.http;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines of one fixed length on one event loop, kept in arrival order behind a single Vert.x timer. Every
 * shadow call needs a timeout, but almost none expires: one timer per call (set, then cancelled) went through
 * Vert.x's shared timer map and Netty's scheduled-task queue thousands of times a second, and with a slow
 * candidate hundreds of them were pending at once. Here adding is an append and cancelling drops a reference;
 * the timer fires about once per timeout period. Confined to one event loop.
 */
final class FifoDeadlines {
  private final Vertx vertx;
  private final long timeoutMs;
  private final ArrayDeque<Deadline> pending = new ArrayDeque<>();
  private boolean armed;

  FifoDeadlines(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** @return the deadline, to {@link Deadline#cancel} when the work completes in time */
  Deadline add(Runnable onExpiry) {
    Deadline d = new Deadline(onExpiry, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    pending.addLast(d);
    if (!armed) arm(timeoutMs);
    return d;
  }

  int pending() {
    return pending.size();
  }

  private void arm(long delayMs) {
    armed = true;
    vertx.setTimer(Math.max(1, delayMs), id -> fire());
  }

  private void fire() {
    armed = false;
    long now = System.nanoTime();
    // Equal lengths: arrival order is deadline order, so the sweep stops at the first live, unexpired one.
    for (Deadline head = pending.peekFirst(); head != null; head = pending.peekFirst()) {
      if (head.onExpiry != null && head.at > now) {
        arm(TimeUnit.NANOSECONDS.toMillis(head.at - now) + 1);
        return;
      }
      pending.pollFirst();
      Runnable expire = head.onExpiry;
      head.onExpiry = null;
      if (expire != null) expire.run();
    }
  }

  static final class Deadline {
    private Runnable onExpiry; // null once cancelled or expired: a finished call is not kept reachable
    private final long at;

    private Deadline(Runnable onExpiry, long at) {
      this.onExpiry = onExpiry;
      this.at = at;
    }

    void cancel() {
      onExpiry = null;
    }
  }
}
