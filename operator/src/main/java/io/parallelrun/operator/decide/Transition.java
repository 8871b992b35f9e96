package io.parallelrun.operator.decide;

/**
 * A change worth a Kubernetes Event: a weight step, a cutover, a rollback, a wait for approval, or a run the
 * operator's policy refuses.
 *
 * @param endpoint the endpoint it concerns, null for the run as a whole
 * @param reason the Event reason (Promoted, CutOver, RolledBack, AwaitingApproval, or a policy violation's)
 * @param warning true for Events of type Warning
 * @param fieldPath the Event's involvedObject.fieldPath: the endpoint's status, or the spec field at fault
 */
public record Transition(String endpoint, String reason, boolean warning, String message, String fieldPath) {
  public static final String PROMOTED = "Promoted";
  public static final String CUT_OVER = "CutOver";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String AWAITING_APPROVAL = "AwaitingApproval";

  /** A transition of one endpoint. */
  public Transition(String endpoint, String reason, boolean warning, String message) {
    this(endpoint, reason, warning, message, "status.endpoints{" + endpoint + "}");
  }
}
