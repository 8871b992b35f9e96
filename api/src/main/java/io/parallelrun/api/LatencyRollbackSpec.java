package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The latency rollback: how much slower than legacy an endpoint that carries weight may become. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LatencyRollbackSpec {
  @Min(SpecDefaults.LATENCY_RATIO_MIN)
  @Max(SpecDefaults.LATENCY_RATIO_MAX)
  @JsonPropertyDescription("Once an endpoint has taken any weight, a ratio of the candidate's 99th percentile latency to"
      + " legacy's above this over the endpoint's window (with at least minSamples comparisons) sends it back to weight 0 ("
      + SpecDefaults.LATENCY_RATIO_MIN_TEXT + " to " + SpecDefaults.LATENCY_RATIO_MAX_TEXT + "). Unset: latency rolls nothing back.")
  private Double p99RatioAbove;

  public LatencyRollbackSpec() {}

  public LatencyRollbackSpec(Double p99RatioAbove) { this.p99RatioAbove = p99RatioAbove; }

  public Double getP99RatioAbove() { return p99RatioAbove; }
  public void setP99RatioAbove(Double p99RatioAbove) { this.p99RatioAbove = p99RatioAbove; }
}
