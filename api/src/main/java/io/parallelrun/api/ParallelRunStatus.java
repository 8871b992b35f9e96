package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Written only by the operator, through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ListMapKeys.class, input = "endpoints=name")
public class ParallelRunStatus {
  /** Condition types. */
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String METRICS_AVAILABLE = "MetricsAvailable";
  /** False (reason NoSamples) when an endpoint had no comparisons over its window: the proxy or candidate gets no traffic. */
  public static final String TRAFFIC_OBSERVED = "TrafficObserved";

  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  private Long observedGeneration;

  @JsonPropertyDescription("Initializing, Shadowing, Progressing, Completed, Paused or Degraded.")
  private Phase phase;

  @JsonPropertyDescription("Endpoints cut over out of all endpoints, e.g. 2/5.")
  private String cutOver;

  @JsonPropertyDescription("Where legacy traffic goes (Service and port, or URL).")
  private String legacy;

  @JsonPropertyDescription("Where candidate traffic goes (Service and port, or URL).")
  private String candidate;

  @JsonPropertyDescription("When the operator last read match rates (RFC 3339); rewritten only with another status change, or at least every 5 minutes.")
  private String lastAnalysisTime;

  @JsonPropertyDescription("Per-endpoint weight, state and match rate.")
  private List<EndpointStatus> endpoints = new ArrayList<>();

  @JsonPropertyDescription("Ready (False with reason ProxyNotApplied when the proxy objects could not be applied, or ImageNotAllowed, "
      + "BackendNotAllowed or PrometheusUrlNotAllowed when the operator's policy refuses the run, which then gets "
      + "no proxy and no analysis), Progressing, MetricsAvailable and TrafficObserved conditions, each with observedGeneration.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public String getCutOver() { return cutOver; }
  public void setCutOver(String cutOver) { this.cutOver = cutOver; }
  public String getLegacy() { return legacy; }
  public void setLegacy(String legacy) { this.legacy = legacy; }
  public String getCandidate() { return candidate; }
  public void setCandidate(String candidate) { this.candidate = candidate; }
  public String getLastAnalysisTime() { return lastAnalysisTime; }
  public void setLastAnalysisTime(String lastAnalysisTime) { this.lastAnalysisTime = lastAnalysisTime; }
  public List<EndpointStatus> getEndpoints() { return endpoints; }
  public void setEndpoints(List<EndpointStatus> endpoints) { this.endpoints = endpoints; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof ParallelRunStatus that)) return false;
    return Objects.equals(observedGeneration, that.observedGeneration) && phase == that.phase
        && Objects.equals(cutOver, that.cutOver) && Objects.equals(legacy, that.legacy)
        && Objects.equals(candidate, that.candidate) && Objects.equals(lastAnalysisTime, that.lastAnalysisTime)
        && Objects.equals(endpoints, that.endpoints) && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, cutOver, legacy, candidate, lastAnalysisTime, endpoints, conditions);
  }
}
