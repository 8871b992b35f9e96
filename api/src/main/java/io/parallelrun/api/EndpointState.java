package io.parallelrun.api;

/** Where one endpoint stands in its cutover. */
public enum EndpointState {
  /** Weight 0; comparing, threshold not (yet) met. */
  Shadowing,
  /** Threshold met; holding for holdFor before the next step. */
  Ready,
  /** Between steps: some weight on the candidate, holding the threshold again before the next step. */
  Promoting,
  /** Weight 100: the candidate answers; legacy is still compared as the shadow. */
  CutOver,
  /** Sent back to weight 0 after a regression or by the rollback annotation. */
  RolledBack,
  /** Threshold met on a Manual endpoint; waiting for the approve annotation. */
  AwaitingApproval,
  /** mirror is false: nothing to compare; moves only by approval. */
  NotMirrored
}
