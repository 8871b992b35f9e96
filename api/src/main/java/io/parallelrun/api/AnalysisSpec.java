package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisSpec {
  @JsonPropertyDescription("The Prometheus that scrapes the proxy. Default: the operator's --prometheus-url / PARALLELRUN_PROMETHEUS_URL.")
  private PrometheusSpec prometheus;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription("How often match rates are read and decisions taken, a duration such as 30s (default 30s).")
  private String interval;

  public PrometheusSpec getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusSpec prometheus) { this.prometheus = prometheus; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
}
