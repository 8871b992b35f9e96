package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointStatus {
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
        && Objects.equals(matchRate, that.matchRate) && Objects.equals(samples, that.samples)
        && Objects.equals(readySince, that.readySince)
        && Objects.equals(lastTransitionTime, that.lastTransitionTime) && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, weight, state, matchRate, samples, readySince, lastTransitionTime, message);
  }
}
