package io.parallelrun.api;

/** How the proxy speaks to a backend. */
public enum BackendProtocol {
  /** HTTP/1.1: one request at a time per connection. */
  HTTP1,
  /**
   * HTTP/2: with prior knowledge (h2c) over plain http, negotiated with ALPN over https (falling back to HTTP/1.1
   * when the server does not offer h2). Many requests share a few connections, which matters when a slow
   * candidate holds hundreds of shadow requests in flight.
   */
  HTTP2
}
