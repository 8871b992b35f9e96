package io.parallelrun.api.metrics;

/**
 * Label names of the parallelrun_* metrics, and the one reserved label value. Compile-time constants, so the
 * proxy's meters, the operator's queries, the chart's tests and docs/metrics.md all spell them one way.
 */
public final class MetricLabels {
  public static final String NAMESPACE = "namespace";
  public static final String PARALLELRUN = "parallelrun";
  /** An endpoint name from the manifest, or {@link #NO_ROUTE_ENDPOINT}. */
  public static final String ENDPOINT = "endpoint";
  /** A {@link ComparisonResult}. */
  public static final String RESULT = "result";
  /** A {@link MismatchAxis}. */
  public static final String AXIS = "axis";
  /** The side that answered or was called: legacy or candidate. */
  public static final String SIDE = "side";
  /** A {@link DropReason}. */
  public static final String REASON = "reason";
  /**
   * The part of a response that differed, by name, never by value: {@code status}, {@code header:<lower-case
   * name>}, {@code body:<normalised JSON path>} (indices {@code [*]}, data-like keys {@code *}), {@code body} for a
   * body that is not JSON, or {@link #OTHER_FIELD} beyond an endpoint's top fields.
   */
  public static final String FIELD = "field";
  /** A {@link QueryOutcome}. */
  public static final String OUTCOME = "outcome";

  /**
   * The {@code endpoint} value of requests that match no endpoint: answered by legacy, never compared. The
   * leading underscore keeps it out of the endpoint names a spec can hold (lowercase DNS labels,
   * {@code EndpointSpec.NAME_PATTERN}), so it can never be mistaken for one, nor for a {@link ComparisonResult}.
   */
  public static final String NO_ROUTE_ENDPOINT = "_no_route";

  /** The {@code field} value that gathers the fields beyond an endpoint's top ones, so the series stay bounded. */
  public static final String OTHER_FIELD = "other";

  private MetricLabels() {}
}
