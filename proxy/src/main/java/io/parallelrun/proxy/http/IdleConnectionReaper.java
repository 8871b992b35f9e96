package io.parallelrun.proxy.http;

import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Closes a shadow pool's idle HTTP/1.1 connections a few at a time, least recently used first.
 *
 * <p>Why not the client's keep-alive timeout: Vert.x closes every connection idle past it in one cleaner pass.
 * A candidate answering 50 ms late needs rate × 50 ms shadow connections, so a burst opens hundreds, and a minute
 * after it they were all last used within the same second and closed in the same pass: 425 at once cost the lane
 * 20 to 30 ms of CPU in a benchmark harness on one CPU. Closing {@link #CLOSES_PER_TICK} every {@link #TICK_MS}
 * spreads a full pool of 1 024 over 26 seconds.
 *
 * <p>A connection counts as used when a request is given it; it is closed only after {@code idleMs} without one,
 * which the caller makes longer than any shadow call may last, so no request is ever in flight on a connection
 * closed here. Confined to the event loop that owns the pool: its connections are opened, used and closed there.
 */
final class IdleConnectionReaper {
  static final long TICK_MS = 100;
  static final int CLOSES_PER_TICK = 4;

  // Access order: the eldest entry is the connection whose last request is the oldest.
  private final LinkedHashMap<HttpConnection, Long> lastUse = new LinkedHashMap<>(64, 0.75f, true);
  private final long idleMs;
  private final LongSupplier clockMs;

  IdleConnectionReaper(long idleMs, LongSupplier clockMs) {
    this.idleMs = idleMs;
    this.clockMs = clockMs;
  }

  /** The pool's client opened {@code connection} (its connect handler). */
  void opened(HttpConnection connection) {
    lastUse.put(connection, clockMs.getAsLong());
    connection.closeHandler(v -> lastUse.remove(connection)); // closed by the server, a reset, or reap()
  }

  /** A request was given {@code connection}. Connections not opened through {@link #opened} are ignored. */
  void used(HttpConnection connection) {
    lastUse.replace(connection, clockMs.getAsLong()); // in access order, also makes it the most recent
  }

  /** Closes up to {@link #CLOSES_PER_TICK} connections idle for {@code idleMs}; returns how many. */
  int reap() {
    long now = clockMs.getAsLong();
    List<HttpConnection> idle = new ArrayList<>(CLOSES_PER_TICK);
    Iterator<Map.Entry<HttpConnection, Long>> eldestFirst = lastUse.entrySet().iterator();
    while (idle.size() < CLOSES_PER_TICK && eldestFirst.hasNext()) {
      Map.Entry<HttpConnection, Long> e = eldestFirst.next();
      if (now - e.getValue() < idleMs) break; // every later one was used more recently
      idle.add(e.getKey());
      eldestFirst.remove();
    }
    idle.forEach(HttpConnection::close); // after the walk: a close may call the close handler at once
    return idle.size();
  }
}
