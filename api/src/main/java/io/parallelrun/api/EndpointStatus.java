package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointStatus {
  public static final int MAX_DIFFERENCES = 3;
  public static final int MAX_IGNORED_NOISE = 20;

  @Required
  @JsonPropertyDescription("Endpoint name, as in spec.endpoints[].name.")
  private String name;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percent of this endpoint's requests the candidate answers. The proxy routes by this value.")
  private Integer weight;

  @JsonPropertyDescription("Shadowing, Ready, Promoting, CutOver, RolledBack, AwaitingApproval or NotMirrored.")
  private EndpointState state;

  @JsonPropertyDescription("Percent of comparisons in the window that matched (failed comparisons count as not matching).")
  private Double matchRate;

  @JsonPropertyDescription("Lower bound of the match rate's Wilson score interval at threshold.confidence, in percent; set only with a confidence. Promotion needs it at or above matchRate.")
  private Double matchRateLower;

  @JsonPropertyDescription("Upper bound of the match rate's Wilson score interval at threshold.confidence, in percent; set only with a confidence. Rollback needs it below rollback.matchRateBelow.")
  private Double matchRateUpper;

  @JsonPropertyDescription("The candidate's median latency divided by legacy's over the window, on compared requests; set only when the endpoint has a p50Ratio gate and both sides have latency data.")
  private Double latencyP50Ratio;

  @JsonPropertyDescription("The candidate's 99th percentile latency divided by legacy's over the window, on compared requests; set only when the endpoint has a p99Ratio gate or a latency rollback and both sides have latency data.")
  private Double latencyP99Ratio;

  @Size(max = MAX_DIFFERENCES)
  @JsonPropertyDescription("The fields at which most of the window's comparisons differed (up to 3, most first), each with whether it is noise and the comparator rule that would leave it out: the answer to 'why is this endpoint not cut over'. Empty when every comparison matched.")
  private List<FieldDifference> differences;

  @Size(max = MAX_IGNORED_NOISE)
  @JsonPropertyDescription("Fields a proxy leaves out of this endpoint's comparisons because it learned them as noise (comparator.noise: Ignore). Copy them into the comparator's rules through Git to keep them.")
  private List<String> ignoredNoise;

  @JsonPropertyDescription("Number of comparisons in the window.")
  private Long samples;

  @JsonPropertyDescription("Since when the threshold has held without interruption at the current weight (RFC 3339).")
  private String readySince;

  @JsonPropertyDescription("When state or weight last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("Why the endpoint is where it is, in words.")
  private String message;

  public EndpointStatus() {}

  public EndpointStatus(EndpointStatus other) {
    this.name = other.name;
    this.weight = other.weight;
    this.state = other.state;
    this.matchRate = other.matchRate;
    this.matchRateLower = other.matchRateLower;
    this.matchRateUpper = other.matchRateUpper;
    this.latencyP50Ratio = other.latencyP50Ratio;
    this.latencyP99Ratio = other.latencyP99Ratio;
    this.differences = other.differences == null ? null : other.differences.stream().map(d ->
        new FieldDifference(d.getField(), d.getPercent(), d.getNoise(), d.getSuggestion())).toList();
    this.ignoredNoise = other.ignoredNoise == null ? null : List.copyOf(other.ignoredNoise);
    this.samples = other.samples;
    this.readySince = other.readySince;
    this.lastTransitionTime = other.lastTransitionTime;
    this.message = other.message;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getWeight() { return weight; }
  public void setWeight(Integer weight) { this.weight = weight; }
  public EndpointState getState() { return state; }
  public void setState(EndpointState state) { this.state = state; }
  public Double getMatchRate() { return matchRate; }
  public void setMatchRate(Double matchRate) { this.matchRate = matchRate; }
  public Double getMatchRateLower() { return matchRateLower; }
  public void setMatchRateLower(Double matchRateLower) { this.matchRateLower = matchRateLower; }
  public Double getMatchRateUpper() { return matchRateUpper; }
  public void setMatchRateUpper(Double matchRateUpper) { this.matchRateUpper = matchRateUpper; }
  public Double getLatencyP50Ratio() { return latencyP50Ratio; }
  public void setLatencyP50Ratio(Double latencyP50Ratio) { this.latencyP50Ratio = latencyP50Ratio; }
  public Double getLatencyP99Ratio() { return latencyP99Ratio; }
  public void setLatencyP99Ratio(Double latencyP99Ratio) { this.latencyP99Ratio = latencyP99Ratio; }
  public List<FieldDifference> getDifferences() { return differences; }
  public void setDifferences(List<FieldDifference> differences) { this.differences = differences; }
  public List<String> getIgnoredNoise() { return ignoredNoise; }
  public void setIgnoredNoise(List<String> ignoredNoise) { this.ignoredNoise = ignoredNoise; }
  public Long getSamples() { return samples; }
  public void setSamples(Long samples) { this.samples = samples; }
  public String getReadySince() { return readySince; }
  public void setReadySince(String readySince) { this.readySince = readySince; }
  public String getLastTransitionTime() { return lastTransitionTime; }
  public void setLastTransitionTime(String lastTransitionTime) { this.lastTransitionTime = lastTransitionTime; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof EndpointStatus that)) return false;
    return Objects.equals(name, that.name) && Objects.equals(weight, that.weight) && state == that.state
        && Objects.equals(matchRate, that.matchRate) && Objects.equals(matchRateLower, that.matchRateLower)
        && Objects.equals(matchRateUpper, that.matchRateUpper) && Objects.equals(latencyP50Ratio, that.latencyP50Ratio)
        && Objects.equals(latencyP99Ratio, that.latencyP99Ratio) && Objects.equals(differences, that.differences)
        && Objects.equals(ignoredNoise, that.ignoredNoise) && Objects.equals(samples, that.samples)
        && Objects.equals(readySince, that.readySince)
        && Objects.equals(lastTransitionTime, that.lastTransitionTime) && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, weight, state, matchRate, matchRateLower, matchRateUpper, latencyP50Ratio, latencyP99Ratio,
        differences, ignoredNoise, samples, readySince, lastTransitionTime, message);
  }
}
