package io.parallelrun.testing;

import java.util.concurrent.TimeUnit;

public final class Processes {
  private Processes() {}

  /** SIGTERM, as Kubernetes sends; SIGKILL if the process is still there after the grace period. */
  public static void stop(Process process, long graceSeconds) {
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
