package io.parallelrun.api;

public enum Promotion {
  /** The operator moves the endpoint to the next step once its threshold has held. */
  Automatic,
  /** The endpoint waits in AwaitingApproval until the parallelrun.io/approve annotation names it. */
  Manual
}
