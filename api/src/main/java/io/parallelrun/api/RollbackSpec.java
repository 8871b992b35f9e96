package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackSpec {
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Once an endpoint has taken any weight, a match rate below this percent (with at least minSamples comparisons) sends it back to weight 0. Default: the endpoint's threshold matchRate.")
  private Double matchRateBelow;

  @JsonPropertyDescription("Latency rollback: once an endpoint has taken any weight, a candidate this much slower than legacy sends it back to weight 0.")
  private LatencyRollbackSpec latency;

  public RollbackSpec() {}

  public RollbackSpec(Double matchRateBelow) { this.matchRateBelow = matchRateBelow; }

  public Double getMatchRateBelow() { return matchRateBelow; }
  public void setMatchRateBelow(Double matchRateBelow) { this.matchRateBelow = matchRateBelow; }
  public LatencyRollbackSpec getLatency() { return latency; }
  public void setLatency(LatencyRollbackSpec latency) { this.latency = latency; }
}
