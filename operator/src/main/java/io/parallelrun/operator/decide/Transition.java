package io.parallelrun.operator.decide;

/**
 * A change worth a Kubernetes Event: a weight step, a cutover, a rollback, a wait for approval, or a run the
 * operator's policy refuses.
 *
 * @param endpoint the endpoint it concerns, null for the run as a whole
 * @param reason the Event reason (Promoted, CutOver, RolledBack, AwaitingApproval, or a policy violation's)
 * @param warning true for Events of type Warning
 * @param fieldPath the Event's involvedObject.fieldPath: the endpoint's status, or the spec field at fault
 * @param byLatency true for a rollback because the candidate's latency rose above rollback.latency (counted apart
 *     for the chart's latency-rollback alert)
 */
public record Transition(String endpoint, String reason, boolean warning, String message, String fieldPath,
    boolean byLatency) {
  public static final String PROMOTED = "Promoted";
  public static final String CUT_OVER = "CutOver";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String AWAITING_APPROVAL = "AwaitingApproval";

  /** A transition of one endpoint. */
  public Transition(String endpoint, String reason, boolean warning, String message) {
    this(endpoint, reason, warning, message, "status.endpoints{" + endpoint + "}");
  }

  /** A transition with the field at fault. */
  public Transition(String endpoint, String reason, boolean warning, String message, String fieldPath) {
    this(endpoint, reason, warning, message, fieldPath, false);
  }

  /** An endpoint rolled back because its p99 latency ratio rose above rollback.latency.p99RatioAbove. */
  public static Transition latencyRollback(String endpoint, String message) {
    return new Transition(endpoint, ROLLED_BACK, true, message, "status.endpoints{" + endpoint + "}", true);
  }
}
