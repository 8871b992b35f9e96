package io.parallelrun.proxy.routing;

/** Which implementation a call goes to. Lowercase: the names are the {@code side} metric label. */
public enum Side {
  legacy, candidate;

  public Side other() {
    return this == legacy ? candidate : legacy;
  }
}
