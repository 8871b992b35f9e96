package io.parallelrun.proxy.http;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A copy of a response body kept for comparison, up to a limit. Chunks are copied straight into one byte array
 * sized from Content-Length when declared, so a body is copied once, not into a Buffer and then out of it:
 * at thousands of requests per second every copy is garbage the collector must sweep while shadows are in flight.
 * Confined to one event loop.
 */
final class BodyCapture {
  private final int limit;
  private byte[] bytes;
  private int length;
  private boolean tooLarge;

  /** @param declared the Content-Length, or -1 when unknown */
  BodyCapture(long declared, int limit) {
    this.limit = limit;
    this.tooLarge = declared > limit;
    this.bytes = new byte[tooLarge ? 0 : declared >= 0 ? (int) declared : Math.min(1024, limit)];
  }

  /** Appends a chunk; past the limit, drops what it holds and remembers that the body was too large. */
  void append(Buffer chunk) {
    if (tooLarge) return;
    int n = chunk.length();
    if ((long) length + n > limit) {
      tooLarge = true;
      bytes = null;
      return;
    }
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max((long) length + n, 2L * bytes.length)));
    }
    chunk.getBytes(0, n, bytes, length);
    length += n;
  }

  boolean tooLarge() {
    return tooLarge;
  }

  /** The body; the array itself when the declared length was exact. */
  byte[] bytes() {
    if (tooLarge) throw new IllegalStateException("body exceeded " + limit + " bytes");
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }
}
