package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The latency gate: how much slower than legacy the candidate may be, as the ratio of the two sides' latency
 * quantiles over the endpoint's window, measured on the requests both sides answered (compared requests). A ratio
 * counts only where the candidate is also at least minDifference slower, so that fast endpoints, whose ratios are
 * mostly the proxy's own timing noise, are neither held nor rolled back on it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LatencyThresholdSpec {
  @Min(SpecDefaults.LATENCY_RATIO_MIN)
  @Max(SpecDefaults.LATENCY_RATIO_MAX)
  @JsonPropertyDescription("Highest allowed ratio of the candidate's median latency to legacy's over the window ("
      + SpecDefaults.LATENCY_RATIO_MIN_TEXT + " to " + SpecDefaults.LATENCY_RATIO_MAX_TEXT
      + "; 1.2: at most 1.2 times legacy). Unset: the median is not gated.")
  private Double p50Ratio;

  @Min(SpecDefaults.LATENCY_RATIO_MIN)
  @Max(SpecDefaults.LATENCY_RATIO_MAX)
  @JsonPropertyDescription("Highest allowed ratio of the candidate's 99th percentile latency to legacy's over the window ("
      + SpecDefaults.LATENCY_RATIO_MIN_TEXT + " to " + SpecDefaults.LATENCY_RATIO_MAX_TEXT
      + "). Unset: the 99th percentile is not gated.")
  private Double p99Ratio;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = SpecDefaults.LATENCY_MIN_DIFFERENCE_RULE,
      message = "minDifference " + SpecDefaults.LATENCY_MIN_DIFFERENCE_BOUNDS)
  @JsonPropertyDescription("The floor under the ratios: a ratio above its gate (or above rollback.latency.p99RatioAbove)"
      + " holds the endpoint (or rolls it back) only when the candidate's quantile is also at least this much above"
      + " legacy's, a duration such as 10ms (default 10ms; " + SpecDefaults.LATENCY_MIN_DIFFERENCE_MIN + " to "
      + SpecDefaults.LATENCY_MIN_DIFFERENCE_MAX + "; 0s: the ratio alone decides).")
  private String minDifference;

  public LatencyThresholdSpec() {}

  public LatencyThresholdSpec(Double p50Ratio, Double p99Ratio) {
    this.p50Ratio = p50Ratio;
    this.p99Ratio = p99Ratio;
  }

  public Double getP50Ratio() { return p50Ratio; }
  public void setP50Ratio(Double p50Ratio) { this.p50Ratio = p50Ratio; }
  public Double getP99Ratio() { return p99Ratio; }
  public void setP99Ratio(Double p99Ratio) { this.p99Ratio = p99Ratio; }
  public String getMinDifference() { return minDifference; }
  public void setMinDifference(String minDifference) { this.minDifference = minDifference; }
}
