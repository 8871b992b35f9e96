package io.parallelrun.api.metrics;

/** The {@code outcome} label of parallelrun_prometheus_queries_seconds. Lowercase: the names are the values. */
public enum QueryOutcome {
  /** An answer with samples. */
  success,
  /** An answer without samples: nothing scraped yet, or no proxy running. */
  empty,
  /** Prometheus unreachable, or an answer that is not a vector of counts. */
  error,
  /** No answer within the operator's Prometheus timeout. */
  timeout
}
