package io.parallelrun.proxy.manifest;

/** A ParallelRun the proxy cannot run with; the message names the offending field. */
public class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
