package io.parallelrun.api.metrics;

/**
 * The {@code side} label of parallelrun_requests_total, parallelrun_upstream_latency_seconds and
 * parallelrun_compared_latency_seconds: which backend answered or was called. Lowercase: the names are the values.
 * The operator's latency ratios are candidate / legacy.
 */
public enum Side {
  legacy,
  candidate
}
