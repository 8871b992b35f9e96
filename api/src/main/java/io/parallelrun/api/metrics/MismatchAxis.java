package io.parallelrun.api.metrics;

/** The {@code axis} label of parallelrun_mismatches_total. */
public enum MismatchAxis {
  status, headers, body
}
