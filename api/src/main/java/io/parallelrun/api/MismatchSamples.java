package io.parallelrun.api;

public enum MismatchSamples {
  /** Keep counts only: no request or response content leaves the comparator. */
  None,
  /** Keep diffs with redactJsonPaths and sensitive headers replaced by a marker (the default). */
  Redacted,
  /** Keep diffs as they are; only for test environments without personal data. */
  Full
}
