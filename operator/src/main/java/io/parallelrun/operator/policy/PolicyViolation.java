package io.parallelrun.operator.policy;

/**
 * Why the operator refuses to deploy (and to analyse) a ParallelRun.
 *
 * @param reason the Ready condition's and the Event's reason, e.g. ImageNotAllowed
 * @param field the spec field at fault, e.g. spec.proxy.image
 * @param message for people: names the field, the value and the rule it broke
 */
public record PolicyViolation(String reason, String field, String message) {
  public static final String IMAGE_NOT_ALLOWED = "ImageNotAllowed";
  public static final String BACKEND_NOT_ALLOWED = "BackendNotAllowed";
  public static final String PROMETHEUS_URL_NOT_ALLOWED = "PrometheusUrlNotAllowed";
}
