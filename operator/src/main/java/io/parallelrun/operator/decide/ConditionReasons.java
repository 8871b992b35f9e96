package io.parallelrun.operator.decide;

/**
 * The reasons the decider writes into the status conditions, in one place: the code, its tests and docs/api.md
 * ("Conditions and their reasons", checked by ConditionReasonsAreDocumentedTest) all name the same words. The
 * condition types are in {@link io.parallelrun.api.ParallelRunStatus}; a few reasons are passed through from
 * elsewhere: MetricsAvailable=False takes the observer's reason (NoData, Timeout, ...), Ready=False a policy
 * violation's (ImageNotAllowed, ...), Ready=True the phase's name.
 */
public final class ConditionReasons {
  private ConditionReasons() {}

  /** Ready=False: SpecDefaults cannot resolve the spec; the message names the field. */
  public static final String INVALID_SPEC = "InvalidSpec";
  /** Ready=False: the proxy objects could not be applied. */
  public static final String PROXY_NOT_APPLIED = "ProxyNotApplied";
  /** Ready=False, Progressing=False, TrafficObserved=Unknown: match rates cannot be read. */
  public static final String METRICS_UNAVAILABLE = "MetricsUnavailable";
  /** Ready=False: an endpoint is rolled back. */
  public static final String ROLLED_BACK = "RolledBack";
  /** Ready=False: no match rates observed yet. */
  public static final String INITIALIZING = "Initializing";
  /** Progressing=False: spec.paused. */
  public static final String PAUSED = "Paused";
  /** Progressing=False: every endpoint is cut over. */
  public static final String COMPLETED = "Completed";
  /** Progressing=True: endpoints can move. */
  public static final String ANALYZING = "Analyzing";
  /** MetricsAvailable=True. */
  public static final String QUERY_SUCCEEDED = "QuerySucceeded";
  /** TrafficObserved=True: every mirrored endpoint has comparisons in its window. */
  public static final String SAMPLES_OBSERVED = "SamplesObserved";
  /** TrafficObserved=False: some mirrored endpoints have none. */
  public static final String NO_SAMPLES = "NoSamples";
}
