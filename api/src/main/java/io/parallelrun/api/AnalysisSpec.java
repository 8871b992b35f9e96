package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisSpec {
  @JsonPropertyDescription("The Prometheus that scrapes the proxy. Default: the operator's --prometheus-url / PARALLELRUN_PROMETHEUS_URL.")
  private PrometheusSpec prometheus;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = SpecDefaults.ANALYSIS_INTERVAL_RULE, message = "interval " + SpecDefaults.ANALYSIS_INTERVAL_BOUNDS)
  @JsonPropertyDescription("How often match rates are read and decisions taken, a duration such as 30s (default 30s; "
      + SpecDefaults.ANALYSIS_INTERVAL_MIN + " to " + SpecDefaults.ANALYSIS_INTERVAL_MAX + ").")
  private String interval;

  public PrometheusSpec getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusSpec prometheus) { this.prometheus = prometheus; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
}
