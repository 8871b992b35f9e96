package io.parallelrun.kubectl;

/** A failure the user can act on: its message is printed as the one line {@code error: <message>}, exit code 1. */
public final class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
