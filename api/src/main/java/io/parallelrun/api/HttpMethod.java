package io.parallelrun.api;

/** HTTP methods an endpoint can match. */
public enum HttpMethod {
  GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS;

  /** Safe methods are mirrored by default; the others could execute a write twice. */
  public boolean isSafe() {
    return this == GET || this == HEAD || this == OPTIONS;
  }
}
