package io.parallelrun.operator.decide;

/**
 * A change worth a Kubernetes Event: a weight step, a cutover, a rollback, or a wait for approval.
 *
 * @param reason the Event reason (Promoted, CutOver, RolledBack, AwaitingApproval)
 * @param warning true for Events of type Warning
 */
public record Transition(String endpoint, String reason, boolean warning, String message) {
  public static final String PROMOTED = "Promoted";
  public static final String CUT_OVER = "CutOver";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
}
