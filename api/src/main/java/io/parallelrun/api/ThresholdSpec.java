package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThresholdSpec {
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Minimum percent of compared requests whose responses match, failed comparisons included (default 99).")
  private Double matchRate;

  @Min(1)
  @JsonPropertyDescription("Minimum number of comparisons in the window before the match rate counts (default 100).")
  private Long minSamples;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = SpecDefaults.WINDOW_RULE, message = "window " + SpecDefaults.WINDOW_BOUNDS)
  @JsonPropertyDescription("Window the match rate is computed over, a duration such as 30s, 10m or 1h30m (default 10m; "
      + SpecDefaults.WINDOW_MIN + " to " + SpecDefaults.WINDOW_MAX + ").")
  private String window;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = SpecDefaults.HOLD_FOR_RULE, message = "holdFor " + SpecDefaults.HOLD_FOR_BOUNDS)
  @JsonPropertyDescription("How long the threshold must hold without interruption before the next weight step (default 5m; "
      + SpecDefaults.HOLD_FOR_MIN + " to " + SpecDefaults.HOLD_FOR_MAX + ").")
  private String holdFor;

  @Min(SpecDefaults.CONFIDENCE_MIN)
  @Max(SpecDefaults.CONFIDENCE_MAX)
  @JsonPropertyDescription("Confidence in percent (" + SpecDefaults.CONFIDENCE_MIN_TEXT + " to " + SpecDefaults.CONFIDENCE_MAX_TEXT
      + ", e.g. 95) that the true match rate is where the decision needs it: promote only when the lower bound of the match"
      + " rate's Wilson score interval at this confidence is at least matchRate, roll back only when its upper bound is below"
      + " rollback.matchRateBelow. Unset: the observed match rate is compared as it is.")
  private Double confidence;

  @JsonPropertyDescription("Latency gate: the candidate's latency quantiles may be at most these multiples of legacy's,"
      + " measured on the compared requests over the window. Each ratio set here replaces the defaults' one.")
  private LatencyThresholdSpec latency;

  public ThresholdSpec() {}

  public ThresholdSpec(Double matchRate, Long minSamples, String window, String holdFor) {
    this.matchRate = matchRate;
    this.minSamples = minSamples;
    this.window = window;
    this.holdFor = holdFor;
  }

  public ThresholdSpec(Double matchRate, Long minSamples, String window, String holdFor, Double confidence) {
    this(matchRate, minSamples, window, holdFor);
    this.confidence = confidence;
  }

  public Double getMatchRate() { return matchRate; }
  public void setMatchRate(Double matchRate) { this.matchRate = matchRate; }
  public Long getMinSamples() { return minSamples; }
  public void setMinSamples(Long minSamples) { this.minSamples = minSamples; }
  public String getWindow() { return window; }
  public void setWindow(String window) { this.window = window; }
  public String getHoldFor() { return holdFor; }
  public void setHoldFor(String holdFor) { this.holdFor = holdFor; }
  public Double getConfidence() { return confidence; }
  public void setConfidence(Double confidence) { this.confidence = confidence; }
  public LatencyThresholdSpec getLatency() { return latency; }
  public void setLatency(LatencyThresholdSpec latency) { this.latency = latency; }
}
