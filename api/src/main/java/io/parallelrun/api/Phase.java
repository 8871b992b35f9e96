package io.parallelrun.api;

/** Overall phase of a parallel run, shown in the Phase column of {@code kubectl get prun}. */
public enum Phase {
  /** The operator has not yet observed metrics for this generation. */
  Initializing,
  /** Every endpoint still answers from legacy; responses are being compared. */
  Shadowing,
  /** At least one endpoint carries candidate weight, and not all are cut over. */
  Progressing,
  /** Every endpoint is cut over to the candidate. */
  Completed,
  /** spec.paused is set: nothing moves. */
  Paused,
  /** An endpoint was rolled back, or metrics are unavailable. */
  Degraded
}
