package io.parallelrun.proxy.metrics;

/** The {@code axis} label of parallelrun_mismatches_total. */
public enum MismatchAxis {
  status, headers, body
}
